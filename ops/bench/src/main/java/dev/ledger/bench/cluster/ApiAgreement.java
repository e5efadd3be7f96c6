package dev.ledger.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.fault.ApiReadback;
import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.fault.ExpectedOutcome;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.schemas.EventIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the API instances of a run give the same answers once each has indexed everything: per
 * instance every event's audit record once in its index and the index lag its {@code /health}
 * shows; every event once in the deployment's one notary's export (which verifies), and a 503
 * naming {@code notary.enabled} for an export at every other instance; across instances every
 * tenant's whole audit trail ({@code GET /v1/audit?format=ndjson}, the same records) and a sample
 * of tokens ({@code GET /v1/tokens/{id}}, the same answer), revoked descendants included.
 *
 * @param indexed per instance, audit records per event in its index
 * @param exported records per event in the notary's export (at {@link ApiInstances#NOTARY})
 * @param exportProblems what the verifier said of any export that did not verify ({@code api-N
 *     tenant: what}), and any instance without the notary that did not answer an export with 503
 * @param lags per instance, the index lag {@code /health} showed at the end, once 0 or by the
 *     deadline
 * @param tenants tenants whose audit trails were compared
 * @param records audit records in each trail, summed over tenants (of the first instance)
 * @param trailsDiffering tenants whose trails differ between instances
 * @param tokens tokens compared
 * @param revokedTokens of which both instances answered {@code status: revoked}
 * @param tokensDiffering tokens whose answers differ ({@code tenant/token})
 */
record ApiAgreement(
    List<Counts> indexed,
    Counts exported,
    List<String> exportProblems,
    List<Long> lags,
    int tenants,
    long records,
    List<String> trailsDiffering,
    int tokens,
    int revokedTokens,
    List<String> tokensDiffering) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Revoked tokens (by a revocation or an ancestor's) in the sample. */
  private static final int REVOKED_SAMPLE = 30;

  /** Other tokens in the sample. */
  private static final int OTHER_SAMPLE = 20;

  /** Every check passed. */
  boolean agreed() {
    return indexed.stream().allMatch(Counts::exact)
        && exported.exact()
        && exportProblems.isEmpty()
        && trailsDiffering.isEmpty()
        && tokensDiffering.isEmpty()
        && tokens > 0;
  }

  /**
   * Waits (until {@code deadline}, a {@link System#nanoTime()}) for each instance to index and
   * export every expected event, then compares them.
   */
  static ApiAgreement check(ApiInstances apis, ExpectedOutcome expected, long deadline)
      throws Exception {
    List<Counts> indexed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<Long> lags = new ArrayList<>();
    Set<String> tenants = expected.tenants();
    for (int i = 0; i < apis.size(); i++) {
      ApiCalls api = apis.api(i);
      indexed.add(
          ApiReadback.settle(
              deadline,
              () ->
                  ExpectedOutcome.count(
                      expected.events(), ApiReadback.indexed(api, expected.tenants()))));
      if (i != ApiInstances.NOTARY) {
        ApiCalls.Answer refused =
            api.get("/v1/exports?format=ndjson&tenant=" + ApiCalls.enc(tenants.iterator().next()));
        if (refused.status() != 503 || !refused.body().contains("notary.enabled")) {
          problems.add(
              "api-"
                  + (i + 1)
                  + " runs no notary, yet answered an export with "
                  + refused.status());
        }
      }
      // Every audit record being in an index does not mean its other topics are read to the end
      // (tokens, notices, the notary's own): the lag is what is left once they are, by the
      // deadline.
      long lag = apis.lag(i);
      while (lag != 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        lag = apis.lag(i);
      }
      lags.add(lag);
    }
    List<String> own = new ArrayList<>();
    Counts exported =
        ApiReadback.settle(
            deadline,
            () -> {
              own.clear();
              return ExpectedOutcome.count(
                  expected.events(),
                  ApiReadback.exported(
                      apis.api(ApiInstances.NOTARY), apis.notaryPublicKey(), tenants, own));
            });
    own.forEach(p -> problems.add("api-" + (ApiInstances.NOTARY + 1) + " " + p));
    long records = 0;
    List<String> trailsDiffering = new ArrayList<>();
    for (String tenant : tenants) {
      // The same records; the order of records with the same time may differ between indexes.
      List<String> first = sorted(ApiReadback.auditLines(apis.api(0), tenant));
      records += first.size();
      for (int i = 1; i < apis.size(); i++) {
        if (!first.equals(sorted(ApiReadback.auditLines(apis.api(i), tenant)))) {
          trailsDiffering.add(tenant);
        }
      }
    }
    List<String> sample = sample(expected);
    int revoked = 0;
    List<String> tokensDiffering = new ArrayList<>();
    for (String token : sample) {
      int slash = token.indexOf('/');
      String path =
          "/v1/tokens/"
              + ApiCalls.enc(token.substring(slash + 1))
              + "?tenant="
              + ApiCalls.enc(token.substring(0, slash));
      JsonNode first = JSON.readTree(apis.api(0).get(path).body());
      boolean same = true;
      for (int i = 1; i < apis.size(); i++) {
        same &= first.equals(JSON.readTree(apis.api(i).get(path).body()));
      }
      if (!same) {
        tokensDiffering.add(token);
      } else if ("revoked".equals(first.path("status").asText())) {
        revoked++;
      }
    }
    return new ApiAgreement(
        List.copyOf(indexed),
        exported,
        List.copyOf(problems),
        List.copyOf(lags),
        tenants.size(),
        records,
        List.copyOf(trailsDiffering),
        sample.size(),
        revoked,
        List.copyOf(tokensDiffering));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  /**
   * Revoked tokens (most of them descendants of the revoked one) and others, spread evenly over
   * their sorted ids so that the same workload samples the same tokens.
   */
  private static List<String> sample(ExpectedOutcome expected) {
    Set<String> revoked = new TreeSet<>(expected.revokedTokens());
    Set<String> others = new TreeSet<>();
    for (EventIdentity e : expected.events()) {
      String t = e.tenant() + "/" + e.tokenId();
      if (!revoked.contains(t)) {
        others.add(t);
      }
    }
    List<String> sample = new ArrayList<>(spread(new ArrayList<>(revoked), REVOKED_SAMPLE));
    sample.addAll(spread(new ArrayList<>(others), OTHER_SAMPLE));
    return sample;
  }

  private static List<String> spread(List<String> all, int count) {
    if (all.size() <= count) {
      return all;
    }
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(all.get((int) ((long) i * all.size() / count)));
    }
    return picked;
  }

  /** A few lines for the run's text. */
  String toText() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < indexed.size(); i++) {
      Counts x = indexed.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "  api-%d      index %,d once, %,d missing, %,d doubled; /health lag %d%s%n",
              i + 1,
              x.once(),
              x.missing(),
              x.duplicated(),
              lags.get(i),
              i == ApiInstances.NOTARY
                  ? String.format(
                      Locale.ROOT,
                      "; the notary's export %,d once, %,d missing, %,d doubled",
                      exported.once(),
                      exported.missing(),
                      exported.duplicated())
                  : "; no notary"));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  agree      %d tenants' audit trails (%,d records) %s; %d tokens (%d revoked) %s;"
                + " exports %s%n",
            tenants,
            records,
            trailsDiffering.isEmpty() ? "the same" : "DIFFER: " + trailsDiffering,
            tokens,
            revokedTokens,
            tokensDiffering.isEmpty() ? "the same" : "DIFFER: " + tokensDiffering,
            exportProblems.isEmpty() ? "verify" : "FAIL: " + exportProblems));
    return out.toString();
  }
}

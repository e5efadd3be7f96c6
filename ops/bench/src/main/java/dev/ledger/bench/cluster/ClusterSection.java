package dev.ledger.bench.cluster;

import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.fault.CampaignSection;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import java.util.Locale;
import java.util.Map;

/** A cluster run ({@code ledger bench cluster}) as a section of RELIABILITY.md. */
public final class ClusterSection {

  private ClusterSection() {}

  /**
   * @param command the command line that ran it
   * @param sizes its sizes, in the order to show them
   * @param loadAtStart the 1-minute load average before the run started
   */
  public static Section of(
      FailoverReport r, String command, Map<String, String> sizes, double loadAtStart) {
    ClusterFailover.Options o = r.options();
    Section.Builder s =
        Section.builder(
                "cluster",
                String.format(
                    Locale.ROOT,
                    "Cluster: %,d events over HTTP, 3 brokers, %d streams and 2 API instances,"
                        + " %s, two brokers lost",
                    r.events(),
                    o.streams(),
                    o.kills() ? "kill -9 of a streams instance" : "no streams kill"))
            .command(command)
            .startedAt(java.time.Instant.now().minus(r.took()));
    sizes.forEach(s::size);
    s.row(
        new Row(
            "throughput: events audited per second over the whole load (faults and backlog"
                + " included); at best over 10 s",
            String.format(
                Locale.ROOT,
                "%,.0f/s; %,.0f/s at best",
                r.throughput().overall(),
                r.throughput().peak()),
            String.format(Locale.ROOT, "posted at %,d/s", o.perSecond()),
            "",
            "",
            ""));
    if (o.kills()) {
      s.row(
          new Row(
              "kill -9 of streams-1: notice latency of revocations posted during the failover",
              String.format(
                  Locale.ROOT,
                  "p50 %s, max %s (%d revocations)",
                  ms(FailoverReport.percentile(r.duringFailoverMillis(), 50)),
                  ms(FailoverReport.percentile(r.duringFailoverMillis(), 100)),
                  r.duringFailoverMillis().size()),
              String.format(
                  Locale.ROOT,
                  "before the kill: p50 %s (%d revocations)",
                  ms(FailoverReport.percentile(r.beforeKillMillis(), 50)),
                  r.beforeKillMillis().size()),
              "",
              "",
              ""));
      s.row(
          new Row(
              "longest silence on ledger.revocations after the kill; catch-up",
              ms(r.longestSilenceMillis()),
              r.catchUp() == null ? "never caught up" : "caught up in " + seconds(r.catchUp()),
              "",
              "the survivor catches up",
              r.catchUp() != null && r.survivorAlive() ? "met" : "MISSED"));
    }
    s.row(
        new Row(
            "two brokers of three down: POST /v1/events",
            r.outage() == null ? "not restarted" : "down " + seconds(r.outage()),
            r.posts().toText().strip().replaceAll("\\s*\\n\\s*", "; ").replaceAll(" {2,}", " "),
            "",
            "every post 503 from every API instance, none 202 or 500",
            r.outageRefused() ? "met" : "MISSED"));
    counts(s, "audit records on ledger.audit", r.audit(), "every event exactly once");
    s.row(
        CampaignSection.countsRow(
            "revocation notices on ledger.revocations (tokens a revocation reaches)",
            r.notices(),
            "tokens",
            "every descendant exactly once"));
    for (int i = 0; i < r.apis().indexed().size(); i++) {
      counts(
          s,
          "api-" + (i + 1) + ": index (GET /v1/audit?format=ndjson)",
          r.apis().indexed().get(i),
          "every event exactly once");
    }
    counts(
        s,
        "api-" + (ApiInstances.NOTARY + 1) + ": the deployment's one notary's export",
        r.apis().exported(),
        "every event exactly once");
    ApiAgreement a = r.apis();
    s.row(
        new Row(
            "both API instances answer the same",
            String.format(
                Locale.ROOT,
                "%d tenants' audit trails (%,d records), %d tokens (%d revoked)",
                a.tenants(),
                a.records(),
                a.tokens(),
                a.revokedTokens()),
            a.trailsDiffering().isEmpty() && a.tokensDiffering().isEmpty()
                ? "/health lag " + a.lags()
                : "differ: " + a.trailsDiffering() + " " + a.tokensDiffering(),
            "",
            "the same",
            a.trailsDiffering().isEmpty() && a.tokensDiffering().isEmpty() ? "met" : "MISSED"));
    s.row(
        new Row(
            "exports verified (signature, every leaf, range proof)",
            a.exportProblems().isEmpty()
                ? "every tenant; the other instance answers exports with 503"
                : "FAILED",
            a.exportProblems().isEmpty() ? "" : a.exportProblems().toString(),
            "",
            "every tenant",
            a.exportProblems().isEmpty() ? "met" : "MISSED"));
    s.note(
        String.format(
            Locale.ROOT,
            "took %d s; load average %.1f before the run; every ledger process ran from start to"
                + " end (%s); data and logs in %s",
            r.took().toSeconds(),
            loadAtStart,
            r.survivorAlive() ? "none restarted" : "ONE DIED",
            r.dir()));
    return s.build();
  }

  private static void counts(Section.Builder s, String what, Counts c, String target) {
    s.row(CampaignSection.countsRow(what, c, "events", target));
  }

  private static String ms(long millis) {
    return millis < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", millis / 1e3);
  }

  private static String seconds(java.time.Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
  }
}

package dev.ledger.bench.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.sign.PublicKeys;
import dev.ledger.schemas.EventIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one API instance holds, read back over HTTP after a run: every tenant's audit trail from its
 * index and every tenant's export from its notary (verified). The fault campaign's and the cluster
 * run's end-of-run checks.
 */
public final class ApiReadback {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiReadback() {}

  /** A count that may still be growing while the ledger catches up. */
  public interface Check {
    Counts get() throws Exception;
  }

  /**
   * Repeats {@code check} until nothing is missing or the deadline ({@link System#nanoTime()})
   * passes; returns the last answer.
   */
  public static Counts settle(long deadline, Check check) throws Exception {
    Counts c = check.get();
    while (c.missing() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(2000);
      c = check.get();
    }
    return c;
  }

  /** Audit records per event in the index: every tenant's whole trail as NDJSON. */
  public static Map<EventIdentity, Integer> indexed(ApiCalls api, Set<String> tenants)
      throws IOException {
    Map<EventIdentity, Integer> found = new HashMap<>();
    for (String tenant : tenants) {
      auditTrail(api, tenant, node -> found.merge(identity(tenant, node), 1, Integer::sum));
    }
    return found;
  }

  /**
   * Every line of {@code tenant}'s whole audit trail as the instance answers it ({@code GET
   * /v1/audit?format=ndjson}), in its order.
   */
  public static List<String> auditLines(ApiCalls api, String tenant) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = api.getStream(auditPath(tenant))) {
      textLines(in, lines::add);
    }
    return lines;
  }

  private static void auditTrail(ApiCalls api, String tenant, Consumer<JsonNode> each)
      throws IOException {
    try (InputStream in = api.getStream(auditPath(tenant))) {
      lines(in, each);
    }
  }

  private static String auditPath(String tenant) {
    return "/v1/audit?format=ndjson&tenant=" + ApiCalls.enc(tenant);
  }

  /**
   * Audit records per event in the notary's log: every tenant's full export, each verified with the
   * notary's public key in {@code notaryPublicKey} (a problem is added to {@code problems} as
   * {@code tenant: what}).
   */
  public static Map<EventIdentity, Integer> exported(
      ApiCalls api, Path notaryPublicKey, Set<String> tenants, List<String> problems)
      throws IOException {
    PublicKey key = PublicKeys.read(notaryPublicKey);
    Map<EventIdentity, Integer> found = new HashMap<>();
    for (String tenant : tenants) {
      String path = "/v1/exports?format=ndjson&tenant=" + ApiCalls.enc(tenant);
      try (InputStream in = api.getStream(path)) {
        VerificationReport report = Verifier.verify(in, key, null, null);
        if (!report.ok()) {
          problems.add(
              tenant
                  + ": "
                  + String.join(
                      "; ", report.lines().subList(0, Math.min(5, report.lines().size()))));
        }
      }
      try (InputStream in = api.getStream(path)) {
        lines(
            in,
            node -> {
              JsonNode record = node.get("record");
              if (record != null
                  && (record.get("amends") == null || record.get("amends").isNull())) {
                found.merge(identity(tenant, record), 1, Integer::sum);
              }
            });
      }
    }
    return found;
  }

  /**
   * The identity of an audit record of {@code tenant} read as JSON ({@code token_id} and {@code
   * event_id} are top-level fields of a record).
   */
  private static EventIdentity identity(String tenant, JsonNode record) {
    return new EventIdentity(
        tenant, record.path("token_id").asText(), record.path("event_id").asText());
  }

  private static void lines(InputStream in, Consumer<JsonNode> each) throws IOException {
    textLines(
        in,
        line -> {
          try {
            each.accept(JSON.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Every non-blank line of {@code in}. */
  private static void textLines(InputStream in, Consumer<String> each) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (!line.isBlank()) {
        each.accept(line);
      }
    }
  }
}

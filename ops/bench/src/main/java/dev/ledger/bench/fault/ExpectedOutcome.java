package dev.ledger.bench.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.kafka.TopicScan;
import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a replayed workload must leave behind (its events by their identity, as the ledger dedupes
 * them, and the tokens its revocations reach), and how to count what the ledger did leave on its
 * topics: the fault campaign's and the cluster failover's check. Not thread-safe.
 */
public final class ExpectedOutcome {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXAMPLES = 10;

  private final Set<EventIdentity> events = new HashSet<>();
  private final Map<String, List<String>> children = new HashMap<>();
  private final List<String> revoked = new ArrayList<>();

  /**
   * Adds one event (a JSON line of the workload).
   *
   * @return the {@code tenant/token_id} it revokes, or null when it is not a revocation
   */
  public String add(String line) throws IOException {
    JsonNode e = JSON.readTree(line);
    String tenant = e.path("tenant").asText();
    JsonNode body =
        e.has("token") ? e.get("token") : e.has("use") ? e.get("use") : e.get("revocation");
    events.add(
        new EventIdentity(tenant, body.path("token_id").asText(), e.path("event_id").asText()));
    JsonNode token = e.path("token");
    if (token.has("parent_token_id")) {
      children
          .computeIfAbsent(
              tenant + "/" + token.get("parent_token_id").asText(), k -> new ArrayList<>())
          .add(tenant + "/" + token.get("token_id").asText());
    }
    if (e.has("revocation")) {
      String t = tenant + "/" + e.path("revocation").path("token_id").asText();
      revoked.add(t);
      return t;
    }
    return null;
  }

  /** The identity of every event added. */
  public Set<EventIdentity> events() {
    return events;
  }

  /** Every token a revocation reaches: the revoked ones and all their descendants. */
  public Set<String> revokedTokens() {
    Set<String> all = new HashSet<>();
    List<String> todo = new ArrayList<>(revoked);
    while (!todo.isEmpty()) {
      String t = todo.removeLast();
      if (all.add(t)) {
        todo.addAll(children.getOrDefault(t, List.of()));
      }
    }
    return all;
  }

  /** The tenants of the events added. */
  public Set<String> tenants() {
    Set<String> t = new TreeSet<>();
    events.forEach(id -> t.add(id.tenant()));
    return t;
  }

  /** How many of {@code expected} were found once, not at all, or more than once. */
  public static <K> Counts count(Set<K> expected, Map<K, Integer> found) {
    long once = 0;
    long missing = 0;
    long duplicated = 0;
    List<String> examples = new ArrayList<>();
    for (K id : expected) {
      int n = found.getOrDefault(id, 0);
      if (n == 1) {
        once++;
      } else {
        missing += n == 0 ? 1 : 0;
        duplicated += n > 1 ? 1 : 0;
        if (examples.size() < EXAMPLES) {
          examples.add(id + " x" + n);
        }
      }
    }
    return new Counts(once, missing, duplicated, examples);
  }

  /** Audit records (not amendments) per event identity on ledger.audit. */
  public static Map<EventIdentity, Integer> auditRecords(KafkaClientSettings kafka) {
    Map<EventIdentity, Integer> found = new HashMap<>();
    var decoder = Topics.AUDIT.valueSerde().deserializer();
    TopicScan.scan(
        kafka,
        Topics.AUDIT.name(),
        Duration.ofMinutes(10),
        r -> {
          AuditRecord a = decoder.deserialize(Topics.AUDIT.name(), r.value());
          if (a.getAmends() == null) {
            found.merge(EventIdentity.of(a), 1, Integer::sum);
          }
        });
    return found;
  }

  /** Revocation notices (not tombstones) per {@code tenant/token_id} on ledger.revocations. */
  public static Map<String, Integer> notices(KafkaClientSettings kafka) {
    Map<String, Integer> found = new HashMap<>();
    TopicScan.scan(
        kafka,
        Topics.REVOCATIONS.name(),
        Duration.ofMinutes(5),
        r -> {
          if (r.value() != null) {
            found.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
          }
        });
    return found;
  }
}

package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.Golden;
import dev.ledger.streams.testing.StreamsApps;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The main scenarios on a real broker with 4 partitions, shuffled events and exactly-once. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerStreamsIT {

  private static final int PARTITIONS = 4;
  private static final long SEED = 4242L;
  private static final Instant LATER = Instant.now().plus(Duration.ofDays(1));
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static TestKafka run;
  private static LedgerStreams app;
  private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    run = TestKafka.start(PARTITIONS);
    // A short grace, so that orphans are judged within the test (order 4); the other scenarios
    // resolve long before it and check one audit record per event whichever way they get it.
    app =
        StreamsApps.start(
            StreamsApps.settings(run, "ledger-it").unknownTokenGrace(GRACE).build(), METRICS);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (run != null) {
      run.close();
    }
  }

  @Test
  @Order(1)
  void shuffledChainsResolveAndRevocationsCrossPartitions() {
    List<LedgerEvent> events = new ArrayList<>(Events.quickstart());
    // A chain of depth 10 below c0 and a tree of 200 leaves below w, each with a revocation.
    events.add(
        Events.issued(
            "it",
            "ev-c0",
            "c0",
            "user:it",
            "agent:c0",
            List.of("api"),
            List.of("read"),
            LATER,
            null,
            T0));
    for (int i = 1; i <= 10; i++) {
      events.add(
          Events.attenuated(
              "it", "ev-c" + i, "c" + i, "c" + (i - 1), "agent:c" + i, T0.plusSeconds(i)));
    }
    events.add(Events.revoked("it", "rev-c1", "c1", T0.plusSeconds(100)));
    events.add(
        Events.issued(
            "it",
            "ev-w",
            "w",
            "user:w",
            "agent:w",
            List.of("api"),
            List.of("read"),
            LATER,
            null,
            T0));
    for (int i = 0; i < 200; i++) {
      events.add(
          Events.attenuated("it", "ev-w" + i, "w" + i, "w", "agent:w" + i, T0.plusSeconds(1)));
    }
    events.add(Events.revoked("it", "rev-w", "w", T0.plusSeconds(100)));
    Collections.shuffle(events, new Random(SEED));
    assertThat(partition("it/c1"))
        .as("the revocation of c1 is processed on another partition than its tree (root c0)")
        .isNotEqualTo(partition("it/c0"));
    run.send(events);

    List<Map.Entry<String, AuditRecord>> audit =
        run.read(Topics.AUDIT, events.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
    // Amendments (values with amends: uses re-judged by an earlier event that arrived later) are
    // not audit records.
    assertThat(
            audit.stream()
                .filter(e -> e.getValue().getAmends() == null)
                .map(e -> e.getValue().getEventId())
                .sorted()
                .toList())
        .as("one audit record per event, seed " + SEED)
        .isEqualTo(events.stream().map(LedgerEvent::getEventId).sorted().toList());

    // uses is emitted coalesced (a flush every 500 ms): on a loaded machine, give it a few flushes.
    Map<String, TokenNode> tokens = tokensOnce(t -> t.get("acme/tok-flights-lhr").getUses() == 2);
    Golden.assertMatches(tokens.get("acme/tok-flights-lhr"), "broker, seed " + SEED);
    TokenNode c10 = tokens.get("it/c10");
    assertThat(c10.getDepth()).isEqualTo(10);
    assertThat(c10.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(c10.getRevocationCause()).isEqualTo("c1");
    assertThat(tokens.get("it/c0").getStatus()).isEqualTo(TokenStatus.active);

    List<Map.Entry<String, RevocationNotice>> notices =
        run.read(Topics.REVOCATIONS, 213, Duration.ofSeconds(30), Duration.ofSeconds(2));
    Map<String, Long> perToken =
        notices.stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.counting()));
    Set<String> expected =
        new HashSet<>(Set.of("acme/tok-flights", "acme/tok-flights-lhr", "it/w"));
    for (int i = 1; i <= 10; i++) {
      expected.add("it/c" + i);
    }
    for (int i = 0; i < 200; i++) {
      expected.add("it/w" + i);
    }
    assertThat(perToken.keySet()).isEqualTo(expected);
    assertThat(perToken.values()).as("exactly one notice each").containsOnly(1L);
    assertThat(
            notices.stream()
                .filter(e -> e.getValue() == null)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet()))
        .as("expired revoked tokens are tombstoned")
        .contains("acme/tok-flights", "acme/tok-flights-lhr");
  }

  @Test
  @Order(2)
  void badInputGoesToTheDlqAndTheStreamKeepsProcessing() {
    byte[] garbage = "\u00c3\u0001 definitely not avro".getBytes(StandardCharsets.UTF_8);
    run.sendRaw("bad/x".getBytes(StandardCharsets.UTF_8), garbage);
    LedgerEvent noBody =
        LedgerEvent.newBuilder(Events.revoked("bad", "rev-bad", "x", T0))
            .setRevocation(null)
            .build();
    run.sendRaw(
        "bad/x".getBytes(StandardCharsets.UTF_8),
        Topics.EVENTS.valueSerde().serializer().serialize("t", noBody));
    run.send(
        List.of(
            Events.issued(
                "bad",
                "ev-after",
                "after",
                "user:a",
                "agent:a",
                List.of("api"),
                List.of("r"),
                LATER,
                null,
                T0)));

    List<ConsumerRecord<byte[], byte[]>> dlq =
        TestKafka.readAll(
            run.bootstrapServers(),
            Topics.DLQ.name(),
            2,
            Duration.ofSeconds(30),
            Duration.ofMillis(500));
    assertThat(dlq).hasSize(2);
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dlq) {
      reasons.put(
          new String(
              r.headers().lastHeader(Topics.DLQ_HEADER_REASON).value(), StandardCharsets.UTF_8),
          new String(r.key()));
      assertThat(r.headers().lastHeader(Topics.DLQ_HEADER_ORIGIN)).isNotNull();
    }
    assertThat(reasons).containsOnlyKeys("undecodable", "missing_body");
    assertThat(
            dlq.stream()
                .filter(r -> r.headers().lastHeader(Topics.DLQ_HEADER_REASON).value().length == 11)
                .findFirst()
                .orElseThrow()
                .value())
        .as("original bytes")
        .isEqualTo(garbage);
    Map<String, TokenNode> tokens =
        latest(run.read(Topics.TOKENS, 1, Duration.ofSeconds(10), Duration.ofSeconds(2)));
    assertThat(tokens.get("bad/after")).as("processed after the bad records").isNotNull();
  }

  @Test
  @Order(3)
  void kafkaStreamsMetricsAreBound() {
    assertThat(app.isRunning()).isTrue();
    assertThat(METRICS.getMeters())
        .extracting(m -> m.getId().getName())
        .anyMatch(name -> name.startsWith("kafka.stream"));
  }

  @Test
  @Order(4)
  void orphansAreAuditedAfterTheGraceAndBudgetsFollowEventTime() {
    String t = "late";
    run.send(
        List.of(
            Events.attenuated(t, "ev-o1", "o1", "o0", "agent:o1", T0.plusSeconds(1)),
            Events.used(t, "u-o1", "o1", "api", "agent:o1", Outcome.allowed, T0.plusSeconds(2)),
            Events.issued(
                t,
                "ev-b",
                "b",
                "user:b",
                "agent:b",
                List.of("api"),
                List.of("read"),
                LATER,
                2L,
                T0),
            Events.used(t, "u-b30", "b", "api", "agent:b", Outcome.allowed, T0.plusSeconds(30)),
            Events.used(t, "u-b20", "b", "api", "agent:b", Outcome.allowed, T0.plusSeconds(20))));
    // All five: the orphan's record comes only once the grace has passed without its parent.
    Map<String, List<AuditRecord>> audit = auditOf(t, 5);
    assertThat(audit).containsOnlyKeys("ev-o1", "u-o1", "ev-b", "u-b30", "u-b20");
    assertThat(audit.get("ev-o1").getFirst().getChain())
        .as("an orphan: audited without a chain")
        .isEmpty();

    run.send(
        List.of(
            Events.issued(
                t,
                "ev-o0",
                "o0",
                "user:o",
                "agent:o0",
                List.of("api"),
                List.of("read"),
                LATER,
                null,
                T0),
            Events.used(t, "u-b10", "b", "api", "agent:b", Outcome.allowed, T0.plusSeconds(10))));
    List<Alert> budget =
        run.read(Topics.ALERTS, 1, Duration.ofSeconds(30), Duration.ofSeconds(2)).stream()
            .map(Map.Entry::getValue)
            .filter(a -> a.getTenant().equals(t))
            .toList();
    assertThat(budget)
        .extracting(Alert::getEventId)
        .as("the use past the budget by event time, not the last to arrive")
        .containsExactly("u-b30");
    List<AuditRecord> amended =
        run.read(Topics.AUDIT, 1, Duration.ofSeconds(10), Duration.ofSeconds(1)).stream()
            .map(Map.Entry::getValue)
            .filter(a -> a.getTenant().equals(t) && a.getAmends() != null)
            .toList();
    assertThat(amended)
        .as("its audit record amended, by the late earlier use")
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getEventId()).isEqualTo("u-b30");
              assertThat(a.getAmends().getAdded())
                  .containsExactly(ViolationKind.usage_limit_exceeded);
              assertThat(a.getAmends().getCauseEventId()).isEqualTo("u-b10");
            });
    Map<String, TokenNode> tokens =
        tokensOnce(all -> all.get(t + "/o1") != null && all.get(t + "/o1").getUses() == 1);
    assertThat(tokens.get(t + "/o1").getStatus())
        .as("the orphan resolves when its parent arrives")
        .isEqualTo(TokenStatus.active);
    assertThat(tokens.get(t + "/o1").getUses()).isEqualTo(1);
    assertThat(auditOf(t, 7).values())
        .as("still one audit record per event")
        .allSatisfy(records -> assertThat(records).hasSize(1));
  }

  /**
   * The audit records of {@code tenant} by event id, once there are at least {@code expected} of
   * them.
   */
  private static Map<String, List<AuditRecord>> auditOf(String tenant, int expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, List<AuditRecord>> byEvent;
    do {
      byEvent =
          run.read(Topics.AUDIT, 1, Duration.ofSeconds(10), Duration.ofSeconds(1)).stream()
              .map(Map.Entry::getValue)
              .filter(a -> a.getTenant().equals(tenant) && a.getAmends() == null)
              .collect(Collectors.groupingBy(AuditRecord::getEventId));
    } while (byEvent.size() < expected && System.nanoTime() < deadline);
    return byEvent;
  }

  /** The latest token of each key, read again (for up to 30 s) until {@code done} holds. */
  @Test
  @Order(5)
  void aLargeSubtreeRevokedAfterItsLeavesIsBroughtInLineBatchByBatch() {
    // Every leaf is attached before the revocation, so the follow-up, not the attachment, revokes
    // them on ledger.tokens: three batches of at most 200, the later two on the commit interval.
    String t = "paced";
    int leaves = 450;
    List<LedgerEvent> tree = new ArrayList<>();
    tree.add(
        Events.issued(
            t, "ev-p", "p", "user:p", "agent:p", List.of("api"), List.of("read"), LATER, null, T0));
    for (int i = 0; i < leaves; i++) {
      tree.add(Events.attenuated(t, "ev-p" + i, "p" + i, "p", "agent:p" + i, T0.plusSeconds(1)));
    }
    run.send(tree);
    assertThat(
            leavesAre(
                tokensOnce(all -> leavesAre(all, t, leaves, TokenStatus.active)),
                t,
                leaves,
                TokenStatus.active))
        .as("every leaf attached and active before the revocation")
        .isTrue();

    run.send(List.of(Events.revoked(t, "rev-p", "p", T0.plusSeconds(100))));
    Map<String, TokenNode> tokens =
        tokensOnce(all -> leavesAre(all, t, leaves, TokenStatus.revoked));
    assertThat(leavesAre(tokens, t, leaves, TokenStatus.revoked))
        .as("every leaf revoked on ledger.tokens, the batches after the first included")
        .isTrue();
    assertThat(tokens.get(t + "/p" + (leaves - 1)).getRevocationCause()).isEqualTo("p");
  }

  /** Whether each of {@code tenant}'s leaves {@code p0..p(n-1)} has {@code status}. */
  private static boolean leavesAre(
      Map<String, TokenNode> tokens, String tenant, int n, TokenStatus status) {
    for (int i = 0; i < n; i++) {
      TokenNode leaf = tokens.get(tenant + "/p" + i);
      if (leaf == null || leaf.getStatus() != status) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, TokenNode> tokensOnce(Predicate<Map<String, TokenNode>> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, TokenNode> tokens;
    do {
      tokens = latest(run.read(Topics.TOKENS, 1, Duration.ofSeconds(10), Duration.ofSeconds(2)));
    } while (!done.test(tokens) && System.nanoTime() < deadline);
    return tokens;
  }

  static Map<String, TokenNode> latest(List<Map.Entry<String, TokenNode>> records) {
    Map<String, TokenNode> latest = new HashMap<>();
    records.forEach(e -> latest.put(e.getKey(), e.getValue()));
    return latest;
  }

  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }
}

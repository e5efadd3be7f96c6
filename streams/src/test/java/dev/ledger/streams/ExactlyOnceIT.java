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
import dev.ledger.streams.internal.ResolverProcessor;
import dev.ledger.streams.internal.TreeProcessor;
import dev.ledger.streams.testing.CrashingWrapper;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.StreamsApps;
import dev.ledger.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once across a crash: both stream processors are killed once mid-transaction (the thread
 * dies, its transaction is aborted, a new thread resumes from the last commit), and a
 * read_committed consumer still sees every audit record, alert and revocation notice exactly once,
 * and the same final tokens as the same events on TopologyTestDriver.
 */
class ExactlyOnceIT {

  private static final long SEED = 77L;
  private static final Instant LATER = Instant.now().plus(Duration.ofDays(2));
  private static TestKafka run;

  @BeforeAll
  static void start() {
    run = TestKafka.start(4);
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void aCrashMidBatchLosesNothingAndDuplicatesNothing() {
    List<LedgerEvent> events = workload(new Random(SEED));
    CrashingWrapper.COUNTDOWN.put(ResolverProcessor.NAME, new AtomicInteger(events.size() / 3));
    CrashingWrapper.COUNTDOWN.put(TreeProcessor.NAME, new AtomicInteger(events.size() / 2));
    StreamsSettings settings =
        StreamsApps.settings(run, "ledger-eos")
            .override(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CrashingWrapper.class.getName())
            .commitInterval(Duration.ofMillis(200))
            // The dead thread's consumer is only evicted after the session timeout: keep it short
            // here.
            .override(
                StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000")
            .override(
                StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000")
            .build();
    try (LedgerStreams app = StreamsApps.start(settings)) {
      run.send(events);
      List<Map.Entry<String, AuditRecord>> audit =
          run.read(Topics.AUDIT, events.size(), Duration.ofSeconds(120), Duration.ofSeconds(3));
      assertThat(CrashingWrapper.CRASHES.get()).as("both processors crashed once").isEqualTo(2);
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      // Amendments (values with amends: uses re-judged by an earlier event that arrived later) are
      // not audit records.
      assertThat(
              audit.stream()
                  .filter(e -> e.getValue().getAmends() == null)
                  .map(e -> e.getValue().getEventId())
                  .sorted()
                  .toList())
          .as("every event audited exactly once")
          .isEqualTo(events.stream().map(LedgerEvent::getEventId).sorted().toList());

      try (Driver reference = new Driver()) {
        reference.send(events).flushUses();
        List<Map.Entry<String, Alert>> alerts =
            run.read(
                Topics.ALERTS,
                reference.alerts.size(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1));
        assertThat(counts(alerts, a -> a.getAlertId()))
            .as("alerts exactly once")
            .isEqualTo(
                counts(
                    reference.alerts.stream().map(a -> Map.entry("", a)).toList(),
                    a -> a.getAlertId()));
        List<Map.Entry<String, RevocationNotice>> notices =
            run.read(
                Topics.REVOCATIONS,
                reference.revocationHistory.size(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1));
        assertThat(counts(notices, n -> n.getTokenId() + "@" + n.getRevokedAt()))
            .as("notices exactly once")
            .isEqualTo(
                counts(
                    reference.revocationHistory.stream()
                        .map(r -> Map.entry(r.key(), r.value()))
                        .toList(),
                    n -> n.getTokenId() + "@" + n.getRevokedAt()));
        Map<String, String> tokens = new TreeMap<>();
        run.read(Topics.TOKENS, 1, Duration.ofSeconds(10), Duration.ofSeconds(1))
            .forEach(e -> tokens.put(e.getKey(), comparable(e.getValue())));
        Map<String, String> expected = new TreeMap<>();
        reference.tokens.forEach((k, v) -> expected.put(k, comparable(v)));
        assertThat(tokens).as("same final tokens as TopologyTestDriver").isEqualTo(expected);
      }
    }
  }

  private static <V> Map<String, Long> counts(
      List<Map.Entry<String, V>> records, Function<V, String> id) {
    return records.stream()
        .filter(e -> e.getValue() != null)
        .collect(
            Collectors.groupingBy(
                e -> id.apply(e.getValue()), TreeMap::new, Collectors.counting()));
  }

  private static String comparable(TokenNode node) {
    // Ledger time and record time are not the events' own: the record time of an event written
    // straight to
    // Kafka is its record's timestamp, which the broker run and the TopologyTestDriver set
    // differently
    // (RecordTimeTest checks that reprocessing keeps it).
    return TokenNode.newBuilder(node).setUpdatedAt(null).setRecordedAt(null).build().toString();
  }

  /** 12 trees of 20 tokens with uses (some over budget) and a revocation each, shuffled. */
  static List<LedgerEvent> workload(Random random) {
    List<LedgerEvent> events = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      String tenant = "eos";
      List<String> ids = new ArrayList<>();
      String root = "r" + t;
      events.add(
          Events.issued(
              tenant,
              "ev-" + root,
              root,
              "user:" + t,
              "agent:" + root,
              List.of("api"),
              List.of("read"),
              LATER,
              null,
              T0));
      ids.add(root);
      for (int i = 1; i < 20; i++) {
        String id = root + "-" + i;
        events.add(
            Events.attenuated(
                tenant,
                "ev-" + id,
                id,
                ids.get(random.nextInt(ids.size())),
                "agent:" + id,
                T0.plusSeconds(i)));
        ids.add(id);
      }
      for (int u = 0; u < 5; u++) {
        String token = ids.get(random.nextInt(ids.size()));
        events.add(
            Events.used(
                tenant,
                "use-" + root + "-" + u,
                token,
                "api",
                "agent:" + token,
                Outcome.allowed,
                T0.plusSeconds(random.nextInt(200))));
      }
      events.add(
          Events.revoked(
              tenant, "rev-" + root, ids.get(1 + random.nextInt(19)), T0.plusSeconds(100)));
    }
    Collections.shuffle(events, random);
    return events;
  }
}

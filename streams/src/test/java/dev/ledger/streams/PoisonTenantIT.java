package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.StreamsApps;
import dev.ledger.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16: one tenant's deep chain of huge actors (300 hops of 4 KB, about 1.2 MB) made a
 * TokenNode larger than the producer's limit; the stream thread died on it, was replaced, died
 * again, and no tenant's events were processed any more, even after a restart. Here the same
 * attack, then another tenant's quickstart must be processed, on the first run and after a restart
 * on the same state; and a chain deeper than the max depth is cut there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoisonTenantIT {

  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static TestKafka run;
  private static StreamsSettings settings;
  private static LedgerStreams app;

  @BeforeAll
  static void start() {
    run = TestKafka.start(4);
    settings =
        StreamsApps.settings(run, "ledger-poison")
            .unknownTokenGrace(GRACE)
            // Kafka Streams leaves its group without telling the broker, so after the restart the
            // new consumer waits until the old one's session times out (45 s by default).
            .override(
                StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000")
            .build();
    app = StreamsApps.start(settings);
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
  void aDeepChainOfHugeActorsStopsNobody() {
    run.send(Events.chain("poison", "p", 299, 4096));
    run.send(Events.quickstart());
    awaitQuickstart(run, "acme");
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    List<ConsumerRecord<byte[], byte[]>> dlq =
        TestKafka.readAll(
            run.bootstrapServers(), Topics.DLQ.name(), 300, PATIENCE, Duration.ofMillis(500));
    assertThat(dlq)
        .as("every hop of the poison chain has a 4 KB actor")
        .hasSize(300)
        .allSatisfy(r -> assertThat(header(r, Topics.DLQ_HEADER_REASON)).isEqualTo("too_large"));
    assertThat(header(dlq.get(1), Topics.DLQ_HEADER_MESSAGE)).contains("token.actor");
  }

  @Test
  @Order(2)
  void aChainDeeperThanTheMaxDepthIsCutThereAndEveryEventIsAuditedOnce() {
    int hops = 100;
    run.send(Events.chain("deep", "d", hops, 1024));
    int max = settings.maxDepth();
    Map<String, TokenNode> tokens =
        awaitTokens(
            run,
            t ->
                t.containsKey("deep/d" + max)
                    && t.get("deep/d" + max).getStatus() == TokenStatus.active
                    && t.containsKey("deep/d" + (max + 1))
                    && t.get("deep/d" + (max + 1))
                        .getViolations()
                        .contains(ViolationKind.depth_limit));
    assertThat(tokens.get("deep/d" + (max + 1)).getStatus())
        .as("refused like a cycle")
        .isEqualTo(TokenStatus.pending);
    assertThat(tokens.values())
        .as("no chain the ledger writes is longer than the bound")
        .allSatisfy(t -> assertThat(t.getChain().size()).isLessThanOrEqualTo(max + 1));
    Map<String, List<AuditRecord>> audit = awaitAudit("deep", hops + 1);
    assertThat(audit).hasSize(hops + 1);
    assertThat(audit.values())
        .as("one audit record per event")
        .allSatisfy(records -> assertThat(records).hasSize(1));
    assertThat(audit.get("ev-d" + (max + 1)).getFirst().getViolations())
        .containsExactly(ViolationKind.depth_limit);
    assertThat(audit.get("ev-d" + hops).getFirst().getChain())
        .as("below the refused token: an orphan")
        .isEmpty();
  }

  @Test
  @Order(3)
  void aRestartOnTheSameDataIsNotStuck() {
    app.close();
    app = StreamsApps.start(settings);
    run.send(Events.quickstart().stream().map(e -> Events.inTenant(e, "acme2")).toList());
    awaitQuickstart(run, "acme2");
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  /**
   * Waits until {@code tenant}'s quickstart is processed: the chain, and the revocation notice of
   * the leaf.
   */
  static void awaitQuickstart(TestKafka run, String tenant) {
    Map<String, TokenNode> tokens =
        awaitTokens(
            run,
            t ->
                t.containsKey(tenant + "/tok-flights-lhr")
                    && t.get(tenant + "/tok-flights-lhr").getStatus() == TokenStatus.revoked);
    assertThat(tokens.get(tenant + "/tok-flights-lhr").getChain()).hasSize(3);
    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () ->
                run
                    .read(Topics.REVOCATIONS, 1, Duration.ofSeconds(10), Duration.ofMillis(500))
                    .stream()
                    .map(Map.Entry::getKey)
                    .anyMatch((tenant + "/tok-flights-lhr")::equals));
  }

  private static Map<String, TokenNode> awaitTokens(
      TestKafka run, Predicate<Map<String, TokenNode>> done) {
    List<Map<String, TokenNode>> last = new ArrayList<>(List.of(Map.of()));
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              last.set(
                  0,
                  LedgerStreamsIT.latest(
                      run.read(Topics.TOKENS, 1, Duration.ofSeconds(10), Duration.ofMillis(500))));
              return done.test(last.get(0));
            });
    return last.get(0);
  }

  private static Map<String, List<AuditRecord>> awaitAudit(String tenant, int events) {
    List<Map<String, List<AuditRecord>>> last = new ArrayList<>(List.of(Map.of()));
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              last.set(
                  0,
                  run.read(Topics.AUDIT, 1, Duration.ofSeconds(10), Duration.ofMillis(500)).stream()
                      .map(Map.Entry::getValue)
                      .filter(a -> a.getTenant().equals(tenant) && a.getAmends() == null)
                      .collect(Collectors.groupingBy(AuditRecord::getEventId)));
              return last.get(0).size() >= events;
            });
    return last.get(0);
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}

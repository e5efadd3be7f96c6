package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import dev.ledger.testkit.Examples;
import dev.ledger.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest service on a real broker: what reaches {@code ledger.events}, decoded with the .avsc
 * file alone.
 */
class IngestServiceIT {

  private static final String NDJSON = "application/x-ndjson";
  private static TestKafka kafka;
  private static IngestService ingest;

  @BeforeAll
  static void start() {
    kafka = TestKafka.start(4);
    ingest = new IngestService(KafkaEventPublisher.create(kafka.bootstrapServers(), Map.of()));
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theQuickstartBatchReachesTheTopicDecodableWithTheAvscAlone() {
    IngestResult result =
        ingest.submit(Examples.quickstartNdjson().getBytes(StandardCharsets.UTF_8), NDJSON, "acme");
    assertThat(result).isEqualTo(new IngestResult.Accepted(6));

    List<TopicReader.Seen> seen =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            all -> all.stream().filter(s -> s.tenant().equals("acme")).count() >= 6);
    List<TopicReader.Seen> acme = seen.stream().filter(s -> s.tenant().equals("acme")).toList();
    assertThat(acme)
        .extracting(TopicReader.Seen::key)
        .containsExactlyInAnyOrder(
            "acme/tok-root",
            "acme/tok-flights",
            "acme/tok-flights-lhr",
            "acme/tok-flights-lhr",
            "acme/tok-flights",
            "acme/tok-flights-lhr");
    assertThat(acme)
        .extracting(TopicReader.Seen::eventId)
        .containsExactlyInAnyOrder("ev-001", "ev-002", "ev-003", "ev-004", "ev-005", "ev-006");
    GenericRecord root =
        acme.stream().filter(s -> s.eventId().equals("ev-001")).findFirst().orElseThrow().value();
    assertThat(root.get("type").toString()).isEqualTo("token.issued");
    assertThat(root.get("occurred_at"))
        .isEqualTo(java.time.Instant.parse("2026-11-20T09:00:00Z").toEpochMilli());
    assertThat(root.get("received_at")).isNotNull();
    GenericRecord token = (GenericRecord) root.get("token");
    assertThat(token.get("subject").toString()).isEqualTo("user:dana");
    assertThat(((List<?>) token.get("scopes"))).hasSize(3);
  }

  @Test
  void invalidAndForbiddenBatchesWriteNothing() {
    List<ObjectNode> events = batch("inv", 4);
    events.get(2).put("occurred_at", "not a time");
    assertThat(ingest.submit(TestEvents.ndjson(events), NDJSON, "*"))
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r ->
                assertThat(r.problems())
                    .containsExactly(
                        new Problem(
                            2,
                            "occurred_at",
                            "must be an RFC 3339 timestamp with seconds and an offset, like 2026-11-20T09:00:00Z")));

    List<ObjectNode> foreign = batch("inv", 3);
    foreign.get(1).put("tenant", "other");
    assertThat(ingest.submit(TestEvents.ndjson(foreign), NDJSON, "inv"))
        .isInstanceOf(IngestResult.Forbidden.class);

    assertNothingOfTenantBut("inv");
    assertNothingOfTenantBut("other");
  }

  @Test
  void aBatchWithOneFailingSendIsAbortedAsAWhole() {
    // A record limit smaller than one event makes exactly that send fail inside the transaction.
    try (IngestService small =
        new IngestService(
            KafkaEventPublisher.create(
                kafka.bootstrapServers(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000)))) {
      List<ObjectNode> events = batch("abort", 4);
      // Each text within the 1,024-character limit, together over the 2,000-byte record limit.
      ((ObjectNode) events.get(3).get("revocation"))
          .put("reason", "x".repeat(1_000))
          .put("revoked_by", "y".repeat(1_000));
      events.get(3).put("source", "z".repeat(1_000));
      assertThat(small.submit(TestEvents.ndjson(events), NDJSON, "abort"))
          .isInstanceOfSatisfying(
              IngestResult.Unavailable.class,
              r -> assertThat(r.message()).contains("nothing was written", "max.request.size"));
      // The same producer goes on working after the abort.
      assertThat(small.submit(TestEvents.ndjson(batch("abort-after", 3)), NDJSON, "*"))
          .isEqualTo(new IngestResult.Accepted(3));
    }
    assertNothingOfTenantBut("abort");
  }

  @Test
  void aFencedProducerIsReplaced() {
    String transactionalId = "ledger-ingest-fence-test";
    try (IngestService fenced =
        new IngestService(
            KafkaEventPublisher.create(
                kafka.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId)))) {
      assertThat(fenced.submit(TestEvents.ndjson(batch("fence-1", 2)), NDJSON, "*"))
          .isEqualTo(new IngestResult.Accepted(2));
      try (KafkaProducer<byte[], byte[]> intruder =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  transactionalId),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        intruder.initTransactions();
      }
      assertThat(fenced.submit(TestEvents.ndjson(batch("fence-2", 2)), NDJSON, "*"))
          .isInstanceOf(IngestResult.Unavailable.class);
      assertThat(fenced.submit(TestEvents.ndjson(batch("fence-3", 2)), NDJSON, "*"))
          .isEqualTo(new IngestResult.Accepted(2));
    }
    List<TopicReader.Seen> seen =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            all -> all.stream().filter(s -> s.tenant().equals("fence-3")).count() >= 2);
    assertThat(seen)
        .extracting(TopicReader.Seen::tenant)
        .doesNotContain("fence-2")
        .contains("fence-1");
  }

  @Test
  void anAbsentBrokerIsUnavailableNotAnException() {
    try (IngestService nowhere =
        new IngestService(
            KafkaEventPublisher.create(
                "127.0.0.1:1", Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000)))) {
      assertThat(nowhere.submit(TestEvents.utf8(Examples.quickstartNdjson()), NDJSON, "*"))
          .isInstanceOf(IngestResult.Unavailable.class);
    }
  }

  /** Distinct valid events of one tenant: an issued root and revocations of it. */
  static List<ObjectNode> batch(String tenant, int size) {
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ObjectNode event = TestEvents.valid(i == 0 ? EventType.ISSUED : EventType.REVOKED);
      event.put("tenant", tenant).put("event_id", tenant + "-" + i + "-" + System.nanoTime());
      ((ObjectNode) event.get(i == 0 ? "token" : "revocation")).put("token_id", tenant + "-tok");
      events.add(event);
    }
    return events;
  }

  /**
   * Proves no record of {@code tenant} is on the topic: writes a marker batch of that tenant after
   * the refused ones, reads until the marker arrives and a little longer, and finds only the
   * marker.
   */
  private static void assertNothingOfTenantBut(String tenant) {
    List<ObjectNode> marker = batch(tenant, 1);
    marker.get(0).put("event_id", tenant + "-marker");
    assertThat(ingest.submit(TestEvents.ndjson(marker), NDJSON, "*"))
        .isEqualTo(new IngestResult.Accepted(1));
    List<TopicReader.Seen> seen =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            all -> all.stream().anyMatch(s -> s.eventId().equals(tenant + "-marker")));
    assertThat(seen)
        .filteredOn(s -> s.tenant().equals(tenant))
        .extracting(TopicReader.Seen::eventId)
        .containsExactly(tenant + "-marker");
  }
}

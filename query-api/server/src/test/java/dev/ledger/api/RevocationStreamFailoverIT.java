package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.index.Indexer;
import dev.ledger.index.IndexerSettings;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.RevocationPosition;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.testkit.TestKafka;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: an SSE client of {@code /v1/revocations/stream} resumes exactly at another instance.
 * One broker, two index+API instances (each its own index directory, indexer and HTTP server), one
 * client that moves between them with its last id: every notice and tombstone once, each partition
 * in its order, none missing, whether the other instance is level with the first, behind it, or
 * behind the client itself. The expected events come from the producer's own acknowledgements
 * (partition and offset of each record), not from either instance.
 */
class RevocationStreamFailoverIT {
  private static final int PARTITIONS = 4;
  private static final String TENANT = "acme";

  @TempDir static Path dir;
  static TestKafka kafka;
  static KafkaProducer<String, RevocationNotice> producer;
  static TestApi.Keys keys;
  static HttpClient client;
  static Instance a;
  static Instance b;

  /** What the topic holds for the tenant: the latest record of each token, as compaction keeps. */
  static final Map<String, SseReader.Place> latest = new LinkedHashMap<>();

  static int tokens;

  /** One index+API instance. */
  record Instance(LedgerIndex index, Indexer indexer, TestApi api) implements AutoCloseable {
    static Instance start(String name, Map<String, Object> consumerOverrides) {
      LedgerIndex index;
      try {
        index = LedgerIndex.open(dir.resolve(name));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Indexer indexer =
          Indexer.start(
              IndexerSettings.builder(kafka.bootstrapServers())
                  .groupId("ledger-indexer-" + name)
                  .refreshInterval(Duration.ofMillis(20))
                  .consumerOverrides(consumerOverrides)
                  .build(),
              index,
              null);
      TestApi api =
          TestApi.start(new ApiContext(keys.store(), null, index, indexer, List.of(), null));
      return new Instance(index, indexer, api);
    }

    RevocationPosition end() {
      return index.revocationsEnd();
    }

    SseReader stream(String lastEventId) {
      return SseReader.open(
          client,
          api.request("/v1/revocations/stream", keys.auditorAcme())
              .timeout(Duration.ofMinutes(2))
              .header("Last-Event-ID", lastEventId)
              .GET()
              .build());
    }

    @Override
    public void close() throws Exception {
      api.close();
      indexer.close();
      index.close();
    }
  }

  /**
   * Holds instance B's indexer inside its consumer's poll while closed, so B falls behind A by as
   * many records as the test writes meanwhile; nothing is dropped, only delayed.
   */
  public static final class Gate implements ConsumerInterceptor<Object, Object> {
    static volatile CountDownLatch open = new CountDownLatch(0);

    static void shut() {
      open = new CountDownLatch(1);
    }

    static void open() {
      open.countDown();
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
      if (!records.isEmpty()) {
        try {
          open.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(PARTITIONS);
    producer = RevocationStreamIT.noticeProducer(kafka);
    keys = TestApi.Keys.create(dir);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    a = Instance.start("a", Map.of());
    b =
        Instance.start(
            "b", Map.of(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Gate.class.getName()));
  }

  @AfterAll
  static void stop() throws Exception {
    Gate.open();
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    producer.close();
    kafka.close();
  }

  @Test
  void aClientResumesExactlyAtTheOtherInstanceLevelBehindOrAheadOfIt() throws Exception {
    // 1. Both instances level. The client replays everything from A.
    List<String> first = revoke(40);
    tombstone(first.get(3));
    RevocationPosition at1 = awaitIndexed(a, b);
    assertThat(distinctPartitions()).as("records on several partitions").isGreaterThanOrEqualTo(3);
    RevocationPosition p1 = readToCaughtUp(a, RevocationPosition.START);
    assertThat(p1).isEqualTo(at1);

    // 2. More is written while the client is away; it reconnects to B with the id A gave it and
    // gets exactly the rest (a tombstone of a token it had among them), then live ones from B.
    List<String> second = revoke(30);
    tombstone(first.get(7));
    RevocationPosition at2 = awaitIndexed(a, b);
    try (SseReader fromB = b.stream(p1.toString())) {
      awaitCaughtUp(fromB, p1, at2);
      revoke(10);
      RevocationPosition at3 = awaitIndexed(a, b);
      await().atMost(Duration.ofSeconds(30)).until(() -> lastPosition(fromB, p1).equals(at3));
      assertExactly(fromB, p1, at3);
    }
    RevocationPosition p3 = b.end();

    // 3. B behind A: B's indexer is held while A indexes more. The client at p3 connects to B,
    // which has nothing past p3 yet: it is caught up at once, and gets the missing records live,
    // each once, when B catches up.
    Gate.shut();
    List<String> fourth = revoke(20);
    tombstone(second.get(2));
    RevocationPosition at4 = awaitIndexed(a);
    assertThat(b.end()).as("B is behind").isEqualTo(p3);
    try (SseReader fromB = b.stream(p3.toString())) {
      awaitCaughtUp(fromB, p3, p3);
      assertThat(fromB.notices()).isEmpty();
      Gate.open();
      await().atMost(Duration.ofSeconds(30)).until(() -> lastPosition(fromB, p3).equals(at4));
      assertExactly(fromB, p3, at4);
    }

    // 4. B behind the client: it read the newest records from A, then reconnects to B before B
    // has them. B sends none of those again, and what comes after them once it has it.
    Gate.shut();
    revoke(15);
    RevocationPosition at5 = awaitIndexed(a);
    RevocationPosition p5 = readToCaughtUp(a, at4);
    assertThat(p5).isEqualTo(at5);
    try (SseReader fromB = b.stream(p5.toString())) {
      awaitCaughtUp(fromB, p5, p5);
      revoke(10);
      tombstone(fourth.get(0));
      RevocationPosition at6 = awaitIndexed(a);
      Gate.open();
      await().atMost(Duration.ofSeconds(30)).until(() -> lastPosition(fromB, p5).equals(at6));
      assertExactly(fromB, p5, at6);
      assertThat(b.end()).isEqualTo(at6);
    }
  }

  /** Revokes {@code n} fresh tokens of the tenant; returns their ids. */
  static List<String> revoke(int n) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String token = "tok-" + ++tokens;
      write(
          token,
          RevocationNotice.newBuilder()
              .setTenant(TENANT)
              .setTokenId(token)
              .setRevokedAt(Instant.parse("2026-11-20T09:01:00Z"))
              .setRevocationCause(token)
              .build());
      out.add(token);
    }
    return out;
  }

  /** The tombstone of {@code token}: its revocation expired. */
  static void tombstone(String token) throws Exception {
    write(token, null);
  }

  private static void write(String token, RevocationNotice notice) throws Exception {
    RecordMetadata m =
        producer
            .send(
                new ProducerRecord<>(
                    Topics.REVOCATIONS.name(), LedgerKey.of(TENANT, token).toString(), notice))
            .get();
    latest.remove(token); // keeps the map in write order
    latest.put(
        token,
        new SseReader.Place(
            m.partition(), m.offset(), notice == null ? "tombstone" : "revocation"));
  }

  static long distinctPartitions() {
    return latest.values().stream().map(SseReader.Place::partition).distinct().count();
  }

  /** The position past every record written so far. */
  static RevocationPosition written() {
    RevocationPosition p = RevocationPosition.START;
    for (SseReader.Place place : latest.values()) {
      p = p.advance(place.partition(), place.offset());
    }
    return p;
  }

  /** Waits until each instance has made every record written so far searchable. */
  static RevocationPosition awaitIndexed(Instance... instances) {
    RevocationPosition all = written();
    for (Instance i : instances) {
      await().atMost(Duration.ofSeconds(60)).until(() -> i.end().equals(all));
    }
    return all;
  }

  /** Reads a replay from {@code instance} after {@code from} to its caught-up; its last id. */
  static RevocationPosition readToCaughtUp(Instance instance, RevocationPosition from) {
    RevocationPosition end = written();
    try (SseReader reader = instance.stream(from.toString())) {
      awaitCaughtUp(reader, from, end);
      assertExactly(reader, from, end);
      return lastPosition(reader, from);
    }
  }

  static void awaitCaughtUp(SseReader reader, RevocationPosition from, RevocationPosition at) {
    assertThat(reader.status).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reader.events.stream().anyMatch(e -> "caught-up".equals(e.event())));
    SseReader.Event caughtUp =
        reader.events.stream().filter(e -> "caught-up".equals(e.event())).findFirst().orElseThrow();
    JsonNode data = RevocationStreamIT.data(caughtUp);
    assertThat(data.get("last_event_id").asText()).isEqualTo(at.toString());
    assertThat(lastPosition(reader, from)).isEqualTo(at);
  }

  static RevocationPosition lastPosition(SseReader reader, RevocationPosition from) {
    List<SseReader.Event> notices = reader.notices();
    return notices.isEmpty() ? from : notices.getLast().position();
  }

  /**
   * The reader got, after {@code from}, exactly the records of the topic past {@code from} up to
   * {@code to} (the latest of each token), each once, each partition's in its order.
   */
  static void assertExactly(SseReader reader, RevocationPosition from, RevocationPosition to) {
    List<SseReader.Place> got = reader.places(from);
    List<SseReader.Place> expected =
        latest.values().stream()
            .filter(p -> !from.covers(p.partition(), p.offset()))
            .filter(p -> to.covers(p.partition(), p.offset()))
            .sorted(
                Comparator.comparingInt(SseReader.Place::partition)
                    .thenComparingLong(SseReader.Place::offset))
            .toList();
    assertThat(got).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(RevocationStreamIT.inEachPartitionsOrder(got)).isTrue();
    assertThat(reader.notices())
        .allSatisfy(
            e -> assertThat(RevocationStreamIT.data(e).get("tenant").asText()).isEqualTo(TENANT));
  }
}

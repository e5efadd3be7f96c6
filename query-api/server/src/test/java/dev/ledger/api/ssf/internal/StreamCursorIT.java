package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.testkit.TestKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two API instances' cursors of one stream on a real broker, acknowledging SETs at the very same
 * moment: the stream's committed position must keep every acknowledgement of both, after every
 * round, and a third instance opened afterwards must hand out exactly the SETs never acknowledged.
 * Before the position writer, the later of two concurrent commits overwrote the earlier one's
 * acknowledgements (Kafka offers no compare-and-set on offsets).
 */
class StreamCursorIT {
  private static final int ROUNDS = 12;
  private static final int LEFT_UNACKED = 3;
  private static TestKafka kafka;

  @BeforeAll
  static void start() {
    kafka = TestKafka.start(1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void acknowledgementsAtTwoInstancesAtOnceAreAllKept() throws Exception {
    Map<String, Object> config = kafka.clientSettings().config();
    StreamConfig stream = stream("race-1");
    StreamCursor.SetMaker maker = (s, notice, jti, lastTry) -> new NoticeOutcome.Set("set:" + jti);
    TopicPartition tp = new TopicPartition(Topics.REVOCATIONS.name(), 0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (StreamCursor a = open(config, stream, maker, true);
        StreamCursor b = open(config, stream, maker, false);
        Admin admin = Admin.create(config)) {
      int notices = 2 * ROUNDS + LEFT_UNACKED;
      long firstOffset = sendNotices(notices);
      List<PendingSet> atA = fetchAll(a, notices);
      List<PendingSet> atB = fetchAll(b, notices);
      assertThat(ids(atA)).isEqualTo(ids(atB));

      Set<Long> acked = new TreeSet<>();
      CyclicBarrier together = new CyclicBarrier(2);
      for (int round = 0; round < ROUNDS; round++) {
        PendingSet first = atA.get(2 * round);
        PendingSet second = atB.get(2 * round + 1);
        Future<Integer> byA = pool.submit(() -> ackAfter(together, a, first));
        Future<Integer> byB = pool.submit(() -> ackAfter(together, b, second));
        assertThat(byA.get()).isEqualTo(1);
        assertThat(byB.get()).isEqualTo(1);
        acked.add(first.offset());
        acked.add(second.offset());
        assertThat(ackedInCommittedPosition(admin, tp, firstOffset))
            .as("acknowledged offsets in the committed position after round %d", round)
            .isEqualTo(acked);
      }

      try (StreamCursor c = open(config, stream, maker, false)) {
        List<PendingSet> again = fetchAll(c, LEFT_UNACKED);
        assertThat(again)
            .extracting(PendingSet::jti)
            .containsExactlyElementsOf(
                atA.subList(2 * ROUNDS, notices).stream().map(PendingSet::jti).toList());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * An instance killed while writing the position leaves its transaction open, and the position
   * unreadable until Kafka's transaction timeout (a minute by default) ends it. The instance that
   * takes over must still see every acknowledgement committed before: it claims the position (which
   * aborts the dead one's transaction) instead of going on with only its own view, which would hand
   * out acknowledged SETs again.
   */
  @Test
  void aPositionLeftMidWriteByADeadInstanceIsReadAfterClaimingIt() throws Exception {
    Map<String, Object> config = kafka.clientSettings().config();
    StreamConfig stream = stream("dead-writer");
    StreamCursor.SetMaker maker = (s, notice, jti, lastTry) -> new NoticeOutcome.Set("set:" + jti);
    TopicPartition tp = new TopicPartition(Topics.REVOCATIONS.name(), 0);
    try (StreamCursor survivor = open(config, stream, maker, true);
        StreamCursor dying = open(config, stream, maker, false)) {
      sendNotices(3);
      List<PendingSet> atSurvivor = fetchAll(survivor, 3);
      List<PendingSet> atDying = fetchAll(dying, 3);
      assertThat(dying.ack(List.of(atDying.get(0).jti(), atDying.get(1).jti()))).isEqualTo(2);
      assertThat(dying.recorded()).isTrue();

      // The dying instance's next write: begun, never finished.
      Map<String, Object> zombie = new HashMap<>(config);
      zombie.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          PositionWriter.transactionalId(stream.streamId()));
      try (KafkaProducer<byte[], byte[]> open =
          new KafkaProducer<>(zombie, new ByteArraySerializer(), new ByteArraySerializer())) {
        open.initTransactions();
        open.beginTransaction();
        open.sendOffsetsToTransaction(
            Map.of(tp, new OffsetAndMetadata(atDying.get(0).offset())),
            new ConsumerGroupMetadata(StreamCursor.groupId(stream.streamId())));

        assertThat(survivor.refresh()).isTrue();
        assertThat(survivor.fetch(10, Duration.ofMillis(200)))
            .extracting(PendingSet::jti)
            .containsExactly(atSurvivor.get(2).jti());
      }
    }
  }

  private static int ackAfter(CyclicBarrier together, StreamCursor cursor, PendingSet set)
      throws Exception {
    together.await();
    return cursor.ack(List.of(set.jti()));
  }

  /** Every offset the stream's committed position says is done: below its point, or listed. */
  private static Set<Long> ackedInCommittedPosition(Admin admin, TopicPartition tp, long from)
      throws Exception {
    // Right after a transaction commits, its offsets stay unstable until its markers are written;
    // Admin answers that with no offset rather than waiting.
    OffsetAndMetadata at =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    admin
                        .listConsumerGroupOffsets(
                            StreamCursor.groupId("race-1"),
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(tp),
                Objects::nonNull);
    Set<Long> done = new TreeSet<>(StreamCursor.parseMetadata(at.offset(), at.metadata()));
    for (long o = from; o < at.offset(); o++) {
      done.add(o);
    }
    return done;
  }

  /**
   * @return the first notice's offset
   */
  private static long sendNotices(int n) throws Exception {
    long first = -1;
    try (KafkaProducer<String, RevocationNotice> producer =
        new KafkaProducer<>(
            kafka.clientSettings().config(),
            new StringSerializer(),
            Topics.REVOCATIONS.valueSerde().serializer())) {
      for (int i = 0; i < n; i++) {
        String token = "tok-" + i;
        RevocationNotice notice =
            RevocationNotice.newBuilder()
                .setTenant("acme")
                .setTokenId(token)
                .setRevokedAt(Instant.parse("2026-12-06T09:00:00Z"))
                .setRevocationCause(token)
                .build();
        long offset =
            producer
                .send(
                    new ProducerRecord<>(
                        Topics.REVOCATIONS.name(), LedgerKey.of("acme", token).toString(), notice))
                .get()
                .offset();
        first = first < 0 ? offset : first;
      }
    }
    return first;
  }

  private static List<PendingSet> fetchAll(StreamCursor cursor, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<PendingSet> got = new ArrayList<>();
    while (got.size() < n && System.nanoTime() < deadline) {
      got = cursor.fetch(1000, Duration.ofMillis(200));
    }
    assertThat(got).hasSize(n);
    return got;
  }

  private static List<String> ids(List<PendingSet> sets) {
    return sets.stream().map(PendingSet::jti).collect(Collectors.toList());
  }

  private static StreamCursor open(
      Map<String, Object> config, StreamConfig stream, StreamCursor.SetMaker maker, boolean fresh) {
    return StreamCursor.open(
        config, stream, maker, fresh, Duration.ofSeconds(5), Clock.systemUTC());
  }

  private static StreamConfig stream(String id) {
    return StreamConfig.created(id, "acme", "key-1", Instant.parse("2026-12-06T08:00:00Z"));
  }
}

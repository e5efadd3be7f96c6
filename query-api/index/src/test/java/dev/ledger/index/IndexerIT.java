package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static dev.ledger.index.Records.alert;
import static dev.ledger.index.Records.audit;
import static dev.ledger.index.Records.revocation;
import static dev.ledger.index.Records.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer on a real broker with four partitions per topic. Records are produced directly with
 * the catalogue's serdes; each test uses its own tenant and index directory.
 */
class IndexerIT {

  static TestKafka kafka;
  static KafkaProducer<String, byte[]> producer;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kafka = TestKafka.start(4);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    producer.close();
    kafka.close();
  }

  static <V> void send(Topic<String, V> topic, String key, V value) {
    sendTo(topic, null, key, value);
  }

  static <V> void sendTo(Topic<String, V> topic, Integer partition, String key, V value) {
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    try {
      producer.send(new ProducerRecord<>(topic.name(), partition, key, bytes)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  IndexerSettings.Builder settings() {
    return IndexerSettings.builder(kafka.bootstrapServers())
        .partitionRecheckInterval(Duration.ofMillis(500));
  }

  static List<String> auditIds(LedgerIndex index, TenantScope scope, AuditFilter f)
      throws InvalidQueryException {
    return index.audit(scope, f, PageRequest.first(1000)).items().stream()
        .map(AuditRecord::getEventId)
        .toList();
  }

  @Test
  void indexesEveryTopicAndAnswersEveryQuery() throws Exception {
    String t = "every";
    TenantScope scope = TenantScope.of(t);
    send(Topics.TOKENS, t + "/root", token(t, "alice", T0, "root:agent-a"));
    send(
        Topics.TOKENS, t + "/a", token(t, "alice", T0.plusSeconds(1), "root:agent-a", "a:agent-b"));
    send(
        Topics.TOKENS,
        t + "/b",
        token(t, "alice", T0.plusSeconds(2), "root:agent-a", "a:agent-b", "b:agent-c"));
    send(
        Topics.AUDIT,
        t + "/b",
        audit(t, "e1", T0.plusSeconds(3), "alice", "root:agent-a", "a:agent-b", "b:agent-c")
            .build());
    send(
        Topics.AUDIT,
        t + "/a",
        audit(t, "e2", T0.plusSeconds(4), "alice", "root:agent-a", "a:agent-b")
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .build());
    send(
        Topics.ALERTS,
        t + "/a",
        alert(
            t,
            "al1",
            ViolationKind.use_after_revocation,
            T0.plusSeconds(4),
            "alice",
            "root:agent-a",
            "a:agent-b"));
    send(
        Topics.REVOCATIONS,
        t + "/a",
        revocation(t, "a", "a", T0.plusSeconds(3), T0.plusSeconds(3)));
    send(
        Topics.REVOCATIONS,
        t + "/b",
        revocation(t, "b", "a", T0.plusSeconds(3), T0.plusSeconds(3)));

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (LedgerIndex index = LedgerIndex.open(dir);
        Indexer indexer = Indexer.start(settings().build(), index, meters)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(auditIds(index, scope, AuditFilter.empty())).containsExactly("e2", "e1");
                assertThat(index.revocations(scope, null, PageRequest.first(10)).items())
                    .hasSize(2);
                assertThat(index.descendants(t, "root", PageRequest.first(10)).items()).hasSize(2);
              });
      assertThat(index.descendants(t, "a", PageRequest.first(10)).items())
          .extracting(TokenNode::getTokenId)
          .containsExactly("b");
      assertThat(auditIds(index, scope, AuditFilter.builder().actor("agent-a").build()))
          .containsExactly("e2", "e1");
      assertThat(auditIds(index, scope, AuditFilter.builder().actor("agent-c").build()))
          .containsExactly("e1");
      assertThat(
              auditIds(
                  index, scope, AuditFilter.builder().q("violation:use_after_revocation").build()))
          .containsExactly("e2");
      assertThat(
              index
                  .alerts(
                      scope,
                      AlertFilter.builder().kind("use_after_revocation").build(),
                      PageRequest.first(10))
                  .items())
          .hasSize(1);
      assertThat(index.token(t, "b")).map(TokenNode::getDepth).contains(2);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                IndexerStatus status = indexer.status();
                assertThat(status.state()).isEqualTo(IndexerStatus.State.RUNNING);
                assertThat(status.lag()).isZero();
                // each topic it reads, for /health: an instance behind on one topic shows which
                assertThat(status.lagByTopic())
                    .containsKeys(
                        Topics.AUDIT.name(),
                        Topics.TOKENS.name(),
                        Topics.ALERTS.name(),
                        Topics.REVOCATIONS.name())
                    .allSatisfy((topic, lag) -> assertThat(lag).isZero());
              });
      assertThat(
              meters.get("ledger.index.documents").tag("topic", "ledger.audit").counter().count())
          .isGreaterThanOrEqualTo(2);
      assertThat(meters.get("ledger.index.lag").gauge().value()).isZero();
      assertThat(meters.get("ledger.index.refresh").timer().count()).isPositive();
    }
  }

  @Test
  void revocationListenersHearOnlySearchableNoticesAndTombstones() throws Exception {
    String t = "listen";
    TenantScope scope = TenantScope.of(t);
    try (LedgerIndex index = LedgerIndex.open(dir);
        Indexer indexer = Indexer.start(settings().build(), index, null)) {
      List<SequencedNotice> heard = new CopyOnWriteArrayList<>();
      AtomicBoolean allVisible = new AtomicBoolean(true);
      indexer.addRevocationListener(
          n -> {
            if (!n.tenant().equals(t)) {
              return;
            }
            boolean visible =
                index.revocationsAfter(scope, RevocationPosition.START, 10).stream()
                    .anyMatch(s -> s.partition() == n.partition() && s.offset() == n.offset());
            allVisible.compareAndSet(true, visible);
            heard.add(n);
          });
      await().until(() -> indexer.status().state() == IndexerStatus.State.RUNNING);
      send(Topics.REVOCATIONS, t + "/x", revocation(t, "x", "x", T0, T0));
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
      send(Topics.REVOCATIONS, t + "/x", null);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
      assertThat(allVisible).isTrue();
      assertThat(heard.get(0).notice()).isNotNull();
      assertThat(heard.get(1).isTombstone()).isTrue();
      assertThat(heard.get(1).partition())
          .as("one key, one partition")
          .isEqualTo(heard.get(0).partition());
      assertThat(heard.get(1).offset()).isGreaterThan(heard.get(0).offset());
      assertThat(index.revocations(scope, null, PageRequest.first(10)).items()).isEmpty();
    }
  }

  /**
   * Measures (prints, does not assert) the time from a record acknowledged by Kafka to it being
   * searchable: for revocations through the listener, for audit records by polling a query.
   */
  @Test
  void measuresKafkaToSearchableLag() throws Exception {
    String t = "latency";
    TenantScope scope = TenantScope.of(t);
    try (LedgerIndex index = LedgerIndex.open(dir);
        Indexer indexer = Indexer.start(settings().build(), index, null)) {
      Map<String, Long> heardAt = new ConcurrentHashMap<>();
      indexer.addRevocationListener(n -> heardAt.put(n.tokenId(), System.nanoTime()));
      await().atMost(Duration.ofSeconds(30)).until(() -> indexer.status().lag() == 0);
      List<Long> revocationMicros = new ArrayList<>();
      List<Long> auditMicros = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long acked =
            sendTimed(Topics.REVOCATIONS, t + "/r" + i, revocation(t, "r" + i, "r" + i, T0, T0));
        String id = "r" + i;
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> heardAt.containsKey(id));
        revocationMicros.add((heardAt.get(id) - acked) / 1000);

        acked =
            sendTimed(
                Topics.AUDIT, t + "/tok", audit(t, "e" + i, T0, "alice", "tok:agent").build());
        AuditFilter f = AuditFilter.builder().q("event_id:e" + i).build();
        while (index.audit(scope, f, PageRequest.first(1)).items().isEmpty()) {
          Thread.sleep(1);
        }
        auditMicros.add((System.nanoTime() - acked) / 1000);
      }
      System.out.println(
          "[measure] kafka ack -> searchable, revocation via listener (us): "
              + summary(revocationMicros));
      System.out.println(
          "[measure] kafka ack -> searchable, audit record by query (us): " + summary(auditMicros));
    }
  }

  static <V> long sendTimed(Topic<String, V> topic, String key, V value) {
    send(topic, key, value);
    return System.nanoTime();
  }

  static String summary(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return "n="
        + sorted.size()
        + " p50="
        + sorted.get(sorted.size() / 2)
        + " p99="
        + sorted.get((int) (sorted.size() * 0.99))
        + " max="
        + sorted.get(sorted.size() - 1);
  }

  @Test
  void crashMidStreamThenRestartIndexesEveryRecordExactlyOnce() throws Exception {
    String t = "crash";
    TenantScope scope = TenantScope.of(t);
    int total = 4000;
    AtomicInteger produced = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < total; i++) {
                byte[] v =
                    Topics.AUDIT
                        .valueSerde()
                        .serializer()
                        .serialize(
                            Topics.AUDIT.name(),
                            audit(
                                    t,
                                    "e" + i,
                                    T0.plusMillis(i),
                                    "alice",
                                    "root:agent-a",
                                    "tok" + (i % 13) + ":agent-b")
                                .build());
                producer.send(new ProducerRecord<>(Topics.AUDIT.name(), t + "/tok" + (i % 13), v));
                produced.incrementAndGet();
                if (i % 100 == 0) {
                  producer.flush();
                  sleep(15);
                }
              }
              producer.flush();
            });
    // Small polls and rarer commits, so the crash falls between commits and loses indexed records.
    IndexerSettings s =
        settings()
            .commitEveryRecords(1000)
            .commitInterval(Duration.ofMinutes(5))
            .consumerOverrides(Map.of("max.poll.records", "100"))
            .build();
    LedgerIndex index = LedgerIndex.open(dir);
    Indexer indexer = Indexer.start(s, index, null);
    writer.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> indexer.status().documentsIndexed() >= 1500);
    indexer.crash();
    index.crash();
    long indexedBeforeCrash = indexer.status().documentsIndexed();

    index = LedgerIndex.open(dir);
    long survived = count(index, scope);
    System.out.println(
        "[measure] crash: indexed "
            + indexedBeforeCrash
            + " records (all tenants) before the crash, "
            + survived
            + " of this tenant survived it (the rest was uncommitted), producer at "
            + produced.get());
    assertThat(survived).as("committed records survive").isPositive().isLessThan(total);
    assertThat(index.committedOffsets()).isNotEmpty();

    Indexer restarted = Indexer.start(s, index, null);
    try {
      writer.join();
      LedgerIndex idx = index;
      // Audit records are added, not replaced: a record read again (a resume from anywhere but the
      // committed positions) would be a second document and the count would pass the total.
      await().atMost(Duration.ofSeconds(60)).until(() -> count(idx, scope) >= total);
      await().atMost(Duration.ofSeconds(10)).until(() -> restarted.status().lag() == 0);
      idx.awaitSearchable();
      Set<String> ids = new HashSet<>();
      List<String> all = new ArrayList<>();
      index.forEachAudit(
          scope,
          AuditFilter.empty(),
          r -> {
            ids.add(r.getEventId());
            all.add(r.getEventId());
          });
      assertThat(all).hasSize(total);
      assertThat(ids).hasSize(total);
      assertThat(restarted.status().documentsIndexed())
          .as("resumed from the committed positions, not the beginning")
          .isLessThan(total);
    } finally {
      restarted.close();
      index.close();
    }
    try (LedgerIndex reopened = LedgerIndex.open(dir)) {
      assertThat(count(reopened, scope)).as("a clean close commits everything").isEqualTo(total);
    }
  }

  static long count(LedgerIndex index, TenantScope scope) throws InvalidQueryException {
    long[] n = {0};
    index.forEachAudit(scope, AuditFilter.empty(), r -> n[0]++);
    return n[0];
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void undecodableRecordsAreSkippedAndCounted() throws Exception {
    String t = "garbage";
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    producer.send(new ProducerRecord<>(Topics.AUDIT.name(), t + "/x", new byte[] {1, 2, 3})).get();
    send(Topics.AUDIT, t + "/x", audit(t, "good", T0, "alice", "x:agent").build());
    try (LedgerIndex index = LedgerIndex.open(dir);
        Indexer indexer = Indexer.start(settings().build(), index, meters)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(auditIds(index, TenantScope.of(t), AuditFilter.empty()))
                      .containsExactly("good"));
      assertThat(meters.get("ledger.index.rejected").counter().count()).isGreaterThanOrEqualTo(1);
      assertThat(indexer.status().state()).isEqualTo(IndexerStatus.State.RUNNING);
    }
  }

  @Test
  void anUnreachableBrokerKeepsItStartingAndCloseIsPrompt() throws Exception {
    IndexerSettings unreachable = IndexerSettings.builder("127.0.0.1:9").build();
    try (LedgerIndex index = LedgerIndex.open(dir)) {
      Indexer indexer = Indexer.start(unreachable, index, null);
      Thread.sleep(1500);
      assertThat(indexer.status().state()).isEqualTo(IndexerStatus.State.STARTING);
      long start = System.nanoTime();
      indexer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(indexer.status().state()).isEqualTo(IndexerStatus.State.CLOSED);
    }
  }

  @Test
  void partitionsAddedLaterArePickedUp() throws Exception {
    String t = "grow";
    try (LedgerIndex index = LedgerIndex.open(dir);
        Indexer indexer = Indexer.start(settings().build(), index, null)) {
      await().until(() -> indexer.status().state() == IndexerStatus.State.RUNNING);
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(p)) {
        admin
            .createPartitions(Map.of(Topics.ALERTS.name(), NewPartitions.increaseTo(6)))
            .all()
            .get();
      }
      sendTo(
          Topics.ALERTS,
          5,
          t + "/x",
          alert(t, "late", ViolationKind.cycle, T0, "alice", "x:agent"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          index
                              .alerts(TenantScope.of(t), AlertFilter.empty(), PageRequest.first(10))
                              .items())
                      .hasSize(1));
      indexer.close();
      assertThat(index.committedOffsets()).containsKey(new TopicPartition(Topics.ALERTS.name(), 5));
    }
  }

  static <V> RecordMetadata sendAcked(Topic<String, V> topic, String key, V value) {
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    try {
      return producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the index's last commit holds a position past the record {@code m}. */
  static boolean committedPast(LedgerIndex index, RecordMetadata m) {
    Long position = index.committedOffsets().get(new TopicPartition(m.topic(), m.partition()));
    return position != null && position > m.offset();
  }

  static List<String> eventIds(LedgerIndex index, TenantScope scope) throws InvalidQueryException {
    List<String> ids = new ArrayList<>();
    index.forEachAudit(scope, AuditFilter.empty(), r -> ids.add(r.getEventId()));
    return ids;
  }

  static List<String> revokedTokens(LedgerIndex index, TenantScope scope)
      throws InvalidQueryException {
    return index.revocations(scope, null, PageRequest.first(100)).items().stream()
        .map(n -> n.getTokenId())
        .toList();
  }

  /**
   * A full disk under a running indexer (issue 16), by fault injection on the index's directory
   * seam: the indexer turns DEGRADED with the error and keeps retrying while the disk is full,
   * searches answer meanwhile from what was searchable, and once there is space it writes on from
   * its last commit by itself: every record indexed exactly once, every notice there.
   */
  @Test
  void aFullDiskDegradesTheIndexerUntilThereIsSpaceThenEveryRecordIsIndexedOnce() throws Exception {
    String t = "fulldisk";
    TenantScope scope = TenantScope.of(t);
    FullDisk disk = new FullDisk();
    IndexerSettings s =
        settings()
            .commitInterval(Duration.ofMillis(200))
            .writeRetryBackoff(Duration.ofMillis(100))
            .build();
    try (LedgerIndex index = LedgerIndex.open(dir, LedgerIndex.DEFAULT_REFRESH_INTERVAL, disk);
        Indexer indexer = Indexer.start(s, index, null)) {
      RecordMetadata lastAudit = null;
      for (int i = 0; i < 50; i++) {
        lastAudit =
            sendAcked(
                Topics.AUDIT,
                t + "/tok",
                audit(t, "e" + i, T0.plusMillis(i), "alice", "tok:x").build());
      }
      RecordMetadata firstNotice =
          sendAcked(Topics.REVOCATIONS, t + "/r0", revocation(t, "r0", "r0", T0, T0));
      RecordMetadata committedAudit = lastAudit;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  committedPast(index, committedAudit)
                      && committedPast(index, firstNotice)
                      && eventIds(index, scope).size() == 50);

      disk.fill();
      for (int i = 50; i < 100; i++) {
        sendAcked(
            Topics.AUDIT,
            t + "/tok",
            audit(t, "e" + i, T0.plusMillis(i), "alice", "tok:x").build());
      }
      sendAcked(Topics.REVOCATIONS, t + "/r1", revocation(t, "r1", "r1", T0, T0));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                IndexerStatus status = indexer.status();
                return status.state() == IndexerStatus.State.DEGRADED
                    && String.valueOf(status.lastError()).contains(FullDisk.NO_SPACE);
              });
      // It keeps trying while the disk is full, and stays DEGRADED.
      int refused = disk.refused();
      await().atMost(Duration.ofSeconds(30)).until(() -> disk.refused() >= refused + 3);
      assertThat(indexer.status().state()).isEqualTo(IndexerStatus.State.DEGRADED);
      // Searches answer from what was searchable: at least the committed 50, none twice.
      assertThat(eventIds(index, scope)).hasSizeGreaterThanOrEqualTo(50).doesNotHaveDuplicates();
      assertThat(revokedTokens(index, scope)).contains("r0");

      disk.free();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  indexer.status().state() == IndexerStatus.State.RUNNING
                      && eventIds(index, scope).size() >= 100
                      && revokedTokens(index, scope).size() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> indexer.status().lag() == 0);
      index.awaitSearchable();
      List<String> ids = eventIds(index, scope);
      assertThat(ids).hasSize(100).doesNotHaveDuplicates();
      assertThat(revokedTokens(index, scope)).containsExactlyInAnyOrder("r0", "r1");
    }
  }
}

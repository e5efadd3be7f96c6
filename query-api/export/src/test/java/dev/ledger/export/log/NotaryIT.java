package dev.ledger.export.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.TestRecords;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notary on a real broker: consume, survive a restart without loss or duplicates, export,
 * verify.
 */
class NotaryIT {

  private static TestKafka kafka;

  @TempDir Path data;

  @BeforeAll
  static void startKafka() {
    kafka = TestKafka.start(2);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  private static void produce(String tenant, int from, int to) {
    produce(Topics.AUDIT.name(), tenant, from, to);
  }

  private static void produce(String topic, String tenant, int from, int to) {
    produce(topic, null, tenant, from, to);
  }

  /** Records {@code from} to {@code to} of {@code tenant}, to {@code partition} (null: by key). */
  private static void produce(String topic, Integer partition, String tenant, int from, int to) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<String, AuditRecord> producer =
        new KafkaProducer<>(
            p, Topics.AUDIT.keySerde().serializer(), Topics.AUDIT.valueSerde().serializer())) {
      for (int i = from; i < to; i++) {
        AuditRecord r = TestRecords.avro(tenant, i);
        producer.send(new ProducerRecord<>(topic, partition, tenant + "/" + r.getTokenId(), r));
      }
    }
  }

  private static void produceWithoutTenant() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, AuditRecord> producer =
        new KafkaProducer<>(
            p, Topics.AUDIT.keySerde().serializer(), Topics.AUDIT.valueSerde().serializer())) {
      AuditRecord r = TestRecords.avro("acme", 999);
      r.setTenant("");
      producer.send(new ProducerRecord<>(Topics.AUDIT.name(), "acme/x", r));
    }
  }

  private static void produceGarbage() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(Topics.AUDIT.name(), "acme/x".getBytes(), "not avro".getBytes()));
    }
  }

  @Test
  void consumesResumesExportsAndVerifies() throws Exception {
    NotaryKey key = NotaryKey.loadOrCreate(data);
    NotaryConfig config =
        NotaryConfig.defaults(kafka.bootstrapServers()).withCheckpoints(10, Duration.ofMillis(200));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Path root = data.resolve("integrity");

    produce("acme", 0, 30);
    produce("globex", 0, 20);
    produce("acme", 5, 6); // the same event again: the log keeps it once
    produceGarbage();
    produceWithoutTenant();

    Checkpoint first;
    try (IntegrityLog log = IntegrityLog.open(root, key, Clock.systemUTC());
        Notary notary = Notary.start(config, log, registry)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  log.size("acme") == 30
                      && log.size("globex") == 20
                      && log.latestCheckpoint("acme").map(Checkpoint::treeSize).orElse(0L) == 30);
      first = log.latestCheckpoint("acme").orElseThrow();
      assertThat(notary.isRunning()).isTrue();
      assertThat(registry.counter("ledger.notary.duplicates").count()).isEqualTo(1);
      assertThat(registry.counter("ledger.notary.undecodable").count()).isEqualTo(2);
      assertThat(registry.counter("ledger.notary.appended").count()).isEqualTo(50);
    }

    produce("acme", 30, 40);
    try (Notary notary = Notary.start(data, config, registry)) {
      IntegrityLog log = notary.log();
      assertThat(log.size("acme")).isEqualTo(30);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  log.size("acme") == 40
                      && log.latestCheckpoint("acme").map(Checkpoint::treeSize).orElse(0L) == 40);
      // Nothing more may come (the restart resumed from the stored offsets): an absence has no
      // event to wait for, so it must hold for a bounded while.
      await("no record appended twice")
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> log.size("acme") == 40);
      assertThat(log.size("globex")).isEqualTo(20);
      assertThat(registry.counter("ledger.notary.appended").count()).isEqualTo(60);
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Exporter(root)
        .prepare(ExportRequest.parse("acme", null, null, "ndjson", "30"))
        .writeTo(out, ProgressListener.NONE);
    VerificationReport report =
        Verifier.verify(
            new ByteArrayInputStream(out.toByteArray()),
            NotaryKey.loadOrCreate(data).publicKey(),
            first,
            ProgressListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(40);
    assertThat(first.treeSize()).isEqualTo(30);
  }

  /**
   * Partitions added to the audit topic under a running notary (issue 23) are read from their
   * beginning at its next look, without a restart, and nothing it had read is read again.
   */
  @Test
  void partitionsAddedWhileItRunsAreReadWithoutARestart() throws Exception {
    String topic = "audit-grown";
    try (Admin a =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    NotaryConfig defaults = NotaryConfig.defaults(kafka.bootstrapServers());
    NotaryConfig config =
        new NotaryConfig(
                kafka.bootstrapServers(),
                topic,
                defaults.checkpointEveryRecords(),
                defaults.checkpointInterval(),
                Duration.ofMillis(100),
                Map.of())
            .withPartitionRecheck(Duration.ofMillis(300));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    produce(topic, 0, "acme", 0, 10);
    try (IntegrityLog log =
            IntegrityLog.open(
                data.resolve("integrity"), NotaryKey.loadOrCreate(data), Clock.systemUTC());
        Notary notary = Notary.start(config, log, registry)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> log.size("acme") == 10);

      try (Admin a =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        a.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
      }
      produce(topic, 2, "acme", 10, 25);
      produce(topic, 1, "globex", 0, 5);
      produce(topic, 0, "acme", 25, 30);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> log.size("acme") == 30 && log.size("globex") == 5);
      assertThat(notary.isRunning()).isTrue();
      assertThat(registry.counter("ledger.notary.appended").count()).isEqualTo(35);
      assertThat(registry.counter("ledger.notary.duplicates").count()).isZero();
    }
  }

  /**
   * A full disk under a running notary (issue 16), by fault injection on the log's write seam
   * ({@link FullDisk}): it reports the write error and keeps retrying while the disk is full, its
   * log keeps what was committed, and once there is space it goes on from its last commit by
   * itself: every record in the log once (none read twice: the duplicate counter stays 0), the
   * export verifies. On a topic of its own, so that the other test counts only its records.
   */
  @Test
  void aFullDiskDegradesTheNotaryUntilThereIsSpaceThenNothingIsSkippedOrDoubled() throws Exception {
    String topic = "fulldisk.audit";
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin a = Admin.create(admin)) {
      a.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    NotaryKey key = NotaryKey.loadOrCreate(data);
    Path root = data.resolve("integrity");
    FullDisk disk = new FullDisk();
    NotaryConfig config =
        new NotaryConfig(
            kafka.bootstrapServers(),
            topic,
            10,
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            Map.of(),
            Duration.ofMillis(100),
            NotaryConfig.DEFAULT_PARTITION_RECHECK);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    produce(topic, "acme", 0, 30);
    try (IntegrityLog log = IntegrityLog.open(root, key, Clock.systemUTC(), disk);
        Notary notary = Notary.start(config, log, registry)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> log.size("acme") == 30);

      disk.fillAfter(0);
      produce(topic, "acme", 30, 60);
      await().atMost(Duration.ofSeconds(30)).until(() -> notary.writeFailure() != null);
      assertThat(notary.writeFailure()).hasMessageContaining(FullDisk.NO_SPACE);
      int refused = disk.refused();
      await().atMost(Duration.ofSeconds(30)).until(() -> disk.refused() >= refused + 3);
      assertThat(notary.writeFailure()).as("still retrying").isNotNull();
      assertThat(notary.failure()).isNull();
      assertThat(notary.isRunning()).isTrue();
      assertThat(log.size("acme")).isEqualTo(30);

      disk.free();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  notary.writeFailure() == null
                      && log.size("acme") == 60
                      && log.latestCheckpoint("acme").map(Checkpoint::treeSize).orElse(0L) == 60);
      assertThat(registry.counter("ledger.notary.duplicates").count()).isZero();
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Exporter(root)
        .prepare(ExportRequest.parse("acme", null, null, "ndjson", null))
        .writeTo(out, ProgressListener.NONE);
    VerificationReport report =
        Verifier.verify(
            new ByteArrayInputStream(out.toByteArray()),
            key.publicKey(),
            null,
            ProgressListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(60);
    ObjectMapper json = new ObjectMapper();
    Set<String> ids = new HashSet<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode id = json.readTree(line).path("record").path("event_id");
      if (!id.isMissingNode()) {
        ids.add(id.asText());
      }
    }
    assertThat(ids).hasSize(60);
  }
}

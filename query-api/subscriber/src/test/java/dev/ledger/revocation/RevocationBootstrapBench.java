package dev.ledger.revocation;

import static dev.ledger.revocation.RevocationFixtures.encode;
import static dev.ledger.revocation.RevocationFixtures.key;
import static dev.ledger.revocation.RevocationFixtures.notice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.testkit.TestKafka;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bootstrap time and memory for many live revocations, over Kafka and over SSE. Not part of the
 * normal build (the name matches neither *Test nor *IT); run on demand, see
 * docs/BENCHMARKS-revocation.md. Sizes: {@code -Dbench.kafka=1000000 -Dbench.sse=200000}; store:
 * {@code -Dbench.store=memory|rocksdb} (a RocksDB store lives in a temporary directory so its size
 * on disk can be reported).
 */
class RevocationBootstrapBench {

  private static final int KAFKA = Integer.getInteger("bench.kafka", 1_000_000);
  private static final int SSE = Integer.getInteger("bench.sse", 200_000);
  private static final RevocationSettings.Store STORE =
      RevocationSettings.Store.valueOf(
          System.getProperty("bench.store", "memory").toUpperCase(java.util.Locale.ROOT));

  /** The settings of the store under test; a RocksDB store gets a directory to measure. */
  private static RevocationSettings.Builder withStore(
      RevocationSettings.Builder settings, Path storeDir) {
    settings.store(STORE);
    return STORE == RevocationSettings.Store.ROCKSDB ? settings.storeDirectory(storeDir) : settings;
  }

  /** Resident set size of this JVM (heap, the broker, and any native memory such as RocksDB's). */
  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  private static long diskBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void report(String line) {
    System.out.println("BENCH " + line);
    System.err.println("BENCH " + line);
  }

  @Test
  void kafkaBootstrapOfAMillionRevocations(@TempDir Path storeDir) throws Exception {
    try (TestKafka kafka = TestKafka.start(4)) {
      long produceStart = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer =
          RevocationFixtures.producer(kafka.bootstrapServers(), Optional.empty())) {
        for (int i = 0; i < KAFKA; i++) {
          String token = String.format("tok-%07d", i);
          String cause = i % 10 == 0 ? token : String.format("root-%06d", i / 10);
          producer.send(
              new ProducerRecord<>(
                  Topics.REVOCATIONS.name(),
                  key("acme", token),
                  encode(notice("acme", token, cause))));
        }
        producer.flush();
      }
      report(
          String.format(
              "kafka: produced %,d notices in %,d ms",
              KAFKA, (System.nanoTime() - produceStart) / 1_000_000));

      long heapBefore = usedHeapAfterGc();
      long rssBefore = rssBytes();
      long start = System.nanoTime();
      RevocationSource source =
          RevocationSubscriber.kafka(
              withStore(
                      RevocationSettings.builder().bootstrapServers(kafka.bootstrapServers()),
                      storeDir.resolve("store"))
                  .build());
      assertThat(source.awaitCaughtUp(Duration.ofMinutes(10))).isTrue();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(source.status().revocations()).isEqualTo(KAFKA);
      report(
          String.format(
              "kafka %s: bootstrap of %,d live revocations: %,d ms (%,d notices/s)",
              STORE, KAFKA, millis, KAFKA * 1000L / Math.max(1, millis)));
      long heapRunning = usedHeapAfterGc();
      long rssRunning = rssBytes();
      report(
          String.format(
              "kafka %s: RSS %,d MB before the source, %,d MB caught up (+%,d MB); store on disk: %,d MB",
              STORE,
              rssBefore >> 20,
              rssRunning >> 20,
              (rssRunning - rssBefore) >> 20,
              diskBytes(storeDir) >> 20));
      // Before closing: a closed RocksDB store answers "revoked" for everything without a lookup.
      lookupLoop(source, KAFKA);
      source.close();
      long heapStore = usedHeapAfterGc();
      report(
          String.format(
              "kafka %s: heap after GC, source running: +%,d MB; store alone (source closed): +%,d MB = %d bytes/revocation",
              STORE,
              (heapRunning - heapBefore) >> 20,
              (heapStore - heapBefore) >> 20,
              (heapStore - heapBefore) / KAFKA));
    }
  }

  /** A plain loop as a cross-check of the JMH figures. */
  private static void lookupLoop(RevocationSource source, int size) {
    String[] ids = new String[1 << 16];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = String.format("tok-%07d", ThreadLocalRandom.current().nextInt(size));
    }
    int hits = 0;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      // A RocksDB lookup is a JNI call of a microsecond or so: fewer calls for the same run time.
      int n = STORE == RevocationSettings.Store.ROCKSDB ? 2_000_000 : 20_000_000;
      for (int i = 0; i < n; i++) {
        if (source.isRevoked("acme", ids[i & (ids.length - 1)])) {
          hits++;
        }
      }
      long ns = System.nanoTime() - start;
      if (round == 2) {
        report(
            String.format(
                "lookup loop %s: %.1f ns per isRevoked over %,d calls (%d hits)",
                STORE, (double) ns / n, n, hits));
      }
    }
  }

  @Test
  void sseBootstrap(@TempDir Path storeDir) throws Exception {
    try (FakeRevocationStream server = new FakeRevocationStream()) {
      for (int i = 0; i < SSE; i++) {
        String token = String.format("tok-%07d", i);
        server.publish(
            "revocation",
            FakeRevocationStream.noticeJson("acme", token, i % 10 == 0 ? token : "root-" + i / 10));
      }
      long heapBefore = usedHeapAfterGc();
      long start = System.nanoTime();
      RevocationSource source =
          RevocationSubscriber.sse(
              withStore(
                      RevocationSettings.builder()
                          .baseUrl(server.baseUrl())
                          .bearerToken(FakeRevocationStream.KEY)
                          .sseQuietPeriod(Duration.ofMillis(500)),
                      storeDir.resolve("store"))
                  .build());
      assertThat(source.awaitCaughtUp(Duration.ofMinutes(10))).isTrue();
      long millis = (System.nanoTime() - start) / 1_000_000 - 500;
      assertThat(source.status().revocations()).isEqualTo(SSE);
      report(
          String.format(
              "sse %s: bootstrap of %,d revocations: %,d ms without the 500 ms quiet period (%,d events/s)",
              STORE, SSE, millis, SSE * 1000L / Math.max(1, millis)));
      source.close();
      report(
          String.format(
              "sse: store alone: %d bytes/revocation", (usedHeapAfterGc() - heapBefore) / SSE));
    }
  }
}

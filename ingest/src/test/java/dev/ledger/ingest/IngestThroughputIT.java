package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A rough throughput measurement, printed and not asserted: concurrent submitters against one
 * publisher, with group commit (the default) and with one transaction per batch. A measurement, not
 * a test, so it runs only behind the bench flag: {@code -Dledger.bench=true
 * -Dit.test=IngestThroughputIT}.
 */
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class IngestThroughputIT {

  private static final int THREADS = 8;
  private static final int EVENTS_PER_BATCH = 10;
  private static final Duration RUN = Duration.ofSeconds(2);
  private static TestKafka kafka;
  private static final AtomicLong IDS = new AtomicLong();

  @BeforeAll
  static void start() {
    kafka = TestKafka.start(4);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void measureGroupCommitAgainstOneTransactionPerBatch() throws Exception {
    String groupCommit =
        measure("group commit", KafkaEventPublisher.DEFAULT_MAX_RECORDS_PER_TRANSACTION);
    String perBatch = measure("one transaction per batch", 1);
    System.out.println(
        "IngestThroughputIT "
            + THREADS
            + " threads x "
            + EVENTS_PER_BATCH
            + "-event batches, "
            + RUN.toSeconds()
            + " s each:\n  "
            + groupCommit
            + "\n  "
            + perBatch);
  }

  private static String measure(String name, int maxRecordsPerTransaction) throws Exception {
    try (IngestService ingest =
        new IngestService(
            KafkaEventPublisher.create(
                kafka.bootstrapServers(), Map.of(), maxRecordsPerTransaction))) {
      submit(ingest); // warm up: initTransactions, metadata
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      long end = System.nanoTime() + RUN.toNanos();
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    long before = System.nanoTime();
                    assertThat(submit(ingest))
                        .isEqualTo(new IngestResult.Accepted(EVENTS_PER_BATCH));
                    latencies.add(System.nanoTime() - before);
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      List<Long> sorted = latencies.stream().sorted().toList();
      return String.format(
          "%-26s %7.0f batches/s %8.0f events/s  latency p50 %5.1f ms p99 %6.1f ms",
          name,
          sorted.size() / seconds,
          sorted.size() * EVENTS_PER_BATCH / seconds,
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }
  }

  private static IngestResult submit(IngestService ingest) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
      long id = IDS.incrementAndGet();
      body.append("{\"event_id\":\"perf-")
          .append(id)
          .append("\",\"type\":\"token.used\",")
          .append(
              "\"occurred_at\":\"2026-11-20T09:00:09Z\",\"tenant\":\"perf\",\"use\":{\"token_id\":\"tok-")
          .append(id % 1000)
          .append("\",\"resource\":\"https://api.example\",\"action\":\"GET /x\",")
          .append("\"outcome\":\"allowed\"}}\n");
    }
    return ingest.submit(TestEvents.utf8(body.toString()), "application/x-ndjson", "*");
  }
}

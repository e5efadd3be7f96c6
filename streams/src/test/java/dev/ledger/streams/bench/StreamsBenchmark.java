package dev.ledger.streams.bench;

import static dev.ledger.streams.testing.Events.T0;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.streams.LedgerStreams;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.StreamsApps;
import dev.ledger.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Revocation latency and throughput of the real application on an embedded broker (4 partitions,
 * exactly-once), all in one JVM. Skipped unless {@code -Dledger.bench=true}; run with {@code mvn -o
 * -pl streams verify -Dtest=StreamsBenchmark -Dledger.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false} and optionally {@code -Dledger.bench.commit=20
 * -Dledger.bench.linger=5 -Dledger.bench.runs=20}.
 *
 * <p>Latency: from the acknowledgement of the token.revoked record by Kafka to the arrival of the
 * last descendant's notice at a read_committed consumer of {@code ledger.revocations}.
 */
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class StreamsBenchmark {

  private static final long COMMIT_MS =
      Long.getLong("ledger.bench.commit", StreamsSettings.DEFAULT_COMMIT_INTERVAL.toMillis());
  private static final String LINGER_MS = System.getProperty("ledger.bench.linger", "5");
  private static final int RUNS = Integer.getInteger("ledger.bench.runs", 20);
  private static final int TREE_RUNS = Integer.getInteger("ledger.bench.treeRuns", 5);
  private static final int TREE_SIZE = Integer.getInteger("ledger.bench.treeSize", 10_000);
  private static final int THROUGHPUT_EVENTS = Integer.getInteger("ledger.bench.events", 30_000);

  /**
   * Send each revocation in a transaction of its own, as ingest does, and count from its commit.
   */
  private static final boolean TRANSACTIONAL = Boolean.getBoolean("ledger.bench.transactional");

  private KafkaProducer<byte[], byte[]> transactional;
  private static final Instant LATER = Instant.now().plus(Duration.ofDays(7));
  private static final String TENANT = "bench";

  private final Map<String, Long> noticeAt = new ConcurrentHashMap<>();
  private final Map<String, Boolean> resolved = new ConcurrentHashMap<>();
  private final AtomicLong audits = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();

  @Test
  void revocationLatencyAndThroughput() throws Exception {
    try (TestKafka run = TestKafka.start(4)) {
      StreamsSettings settings =
          StreamsApps.settings(run, "ledger-bench")
              .commitInterval(Duration.ofMillis(COMMIT_MS))
              .override(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), LINGER_MS)
              .build();
      try (LedgerStreams app = StreamsApps.start(settings)) {
        Thread watcher = Thread.ofPlatform().daemon().start(() -> watch(run.bootstrapServers()));
        List<String> table = new ArrayList<>();
        table.add(
            String.format(
                Locale.ROOT,
                "%-26s %6s %10s %10s %10s %10s",
                "scenario",
                "runs",
                "p50 ms",
                "p99 ms",
                "min ms",
                "max ms"));
        // Unrecorded warm-up: the first revocations after a start pay for class loading and JIT.
        chain(run, 1, 20, "warmup");
        tree(run, 1_000, 2, "warmup-tree");
        for (int depth : new int[] {1, 10, 30}) {
          table.add(row("chain depth " + depth, chain(run, depth, RUNS, "d" + depth)));
        }
        table.add(
            row("tree of " + TREE_SIZE + " descendants", tree(run, TREE_SIZE, TREE_RUNS, "tree")));
        double rate = throughput(run, THROUGHPUT_EVENTS);
        stop.set(true);
        watcher.join();
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "ledger streams benchmark: commit.interval.ms=%d, producer linger.ms=%s, exactly_once_v2, 4 partitions, 1 thread, %d cores%s%n",
            COMMIT_MS,
            LINGER_MS,
            Runtime.getRuntime().availableProcessors(),
            TRANSACTIONAL ? ", revocations sent in transactions" : "");
        table.forEach(System.out::println);
        System.out.printf(
            Locale.ROOT,
            "throughput: %d events (trees of 10 + 2 uses per token) in one JVM: %.0f events/s%n",
            THROUGHPUT_EVENTS,
            rate);
      }
    }
  }

  /** Chains root → c1 → … → c{depth}; revokes the root; latency to the notice of every token. */
  private long[] chain(TestKafka run, int depth, int runs, String name) throws Exception {
    long[] latencies = new long[runs];
    for (int r = 0; r < runs; r++) {
      String prefix = name + "-" + r + "-";
      List<LedgerEvent> events = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      events.add(root(prefix + "0"));
      keys.add(TENANT + "/" + prefix + "0");
      for (int i = 1; i <= depth; i++) {
        events.add(
            Events.attenuated(
                TENANT, "ev-" + prefix + i, prefix + i, prefix + (i - 1), "agent:" + i, T0));
        keys.add(TENANT + "/" + prefix + i);
      }
      latencies[r] = revokeAndMeasure(run, events, keys, prefix + "0");
    }
    return latencies;
  }

  /** A root with {@code size} descendants (fan-out 10); revokes the root. */
  private long[] tree(TestKafka run, int size, int runs, String name) throws Exception {
    long[] latencies = new long[runs];
    for (int r = 0; r < runs; r++) {
      String prefix = name + r + "-";
      List<LedgerEvent> events = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      events.add(root(prefix + "0"));
      keys.add(TENANT + "/" + prefix + "0");
      for (int i = 1; i <= size; i++) {
        events.add(
            Events.attenuated(
                TENANT, "ev-" + prefix + i, prefix + i, prefix + ((i - 1) / 10), "agent:" + i, T0));
        keys.add(TENANT + "/" + prefix + i);
      }
      latencies[r] = revokeAndMeasure(run, events, keys, prefix + "0");
    }
    return latencies;
  }

  private long revokeAndMeasure(
      TestKafka run, List<LedgerEvent> events, List<String> keys, String rootId) throws Exception {
    run.send(events);
    awaitAll(keys, resolved, Duration.ofMinutes(5));
    byte[] value =
        Topics.EVENTS
            .valueSerde()
            .serializer()
            .serialize("t", Events.revoked(TENANT, "rev-" + rootId, rootId, T0.plusSeconds(60)));
    byte[] key = (TENANT + "/" + rootId).getBytes(StandardCharsets.UTF_8);
    long acked = TRANSACTIONAL ? sendInTransaction(run, key, value) : run.sendRaw(key, value);
    awaitAll(keys, noticeAt, Duration.ofMinutes(2));
    long last = keys.stream().mapToLong(noticeAt::get).max().orElseThrow();
    return Math.max(0, last - acked);
  }

  private long sendInTransaction(TestKafka run, byte[] key, byte[] value) throws Exception {
    if (transactional == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.bootstrapServers());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-revocations");
      transactional = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      transactional.initTransactions();
    }
    transactional.beginTransaction();
    transactional.send(new ProducerRecord<>(Topics.EVENTS.name(), key, value));
    transactional.commitTransaction();
    return System.nanoTime();
  }

  /**
   * Trees of 10 tokens with 2 allowed uses per token; events/s from first send to the last audit
   * record.
   */
  private double throughput(TestKafka run, int total) throws Exception {
    List<LedgerEvent> events = new ArrayList<>();
    int tree = 0;
    while (events.size() < total) {
      String prefix = "tp" + tree++ + "-";
      events.add(root(prefix + "0"));
      for (int i = 1; i < 10; i++) {
        events.add(
            Events.attenuated(
                TENANT, "ev-" + prefix + i, prefix + i, prefix + ((i - 1) / 3), "agent:" + i, T0));
      }
      for (int i = 0; i < 10; i++) {
        for (int u = 0; u < 2; u++) {
          events.add(
              Events.used(
                  TENANT,
                  "use-" + prefix + i + "-" + u,
                  prefix + i,
                  "api",
                  null,
                  Outcome.allowed,
                  T0.plusSeconds(1)));
        }
      }
    }
    long before = audits.get();
    long start = System.nanoTime();
    run.send(events);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (audits.get() - before < events.size() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return (audits.get() - before) / seconds;
  }

  private static LedgerEvent root(String id) {
    return Events.issued(
        TENANT,
        "ev-" + id,
        id,
        "user:bench",
        "agent:root",
        List.of("api"),
        List.of("read"),
        LATER,
        null,
        T0);
  }

  private static void awaitAll(List<String> keys, Map<String, ?> seen, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!keys.stream().allMatch(seen::containsKey)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out waiting for "
                + keys.stream().filter(k -> !seen.containsKey(k)).count()
                + " tokens");
      }
      Thread.sleep(1);
    }
  }

  private void watch(String bootstrap) {
    Properties p = TestKafka.consumerProps(bootstrap);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(
          List.of(Topics.REVOCATIONS.name(), Topics.TOKENS.name(), Topics.AUDIT.name()));
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.topic().equals(Topics.REVOCATIONS.name()) && r.value() != null) {
            noticeAt.putIfAbsent(key, now);
          } else if (r.topic().equals(Topics.TOKENS.name())) {
            TokenNode node =
                Topics.TOKENS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (node.getStatus() == TokenStatus.active) {
              resolved.put(key, Boolean.TRUE);
            }
          } else if (r.topic().equals(Topics.AUDIT.name())) {
            audits.incrementAndGet();
          }
        }
      }
    }
  }

  private static String row(String scenario, long[] nanos) {
    long[] ms = Arrays.stream(nanos).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "%-26s %6d %10.1f %10.1f %10.1f %10.1f",
        scenario,
        ms.length,
        pct(ms, 50),
        pct(ms, 99),
        ms[0] / 1e6,
        ms[ms.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}

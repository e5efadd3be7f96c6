package dev.ledger.ops.example;

import static dev.ledger.ops.example.LedgerFixture.fares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.example.ExampleResourceServer;
import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationListener;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end revocation latency as a resource server sees it: from {@code POST /v1/events} of a
 * root's revocation being acknowledged to the example server's first 403 for a depth-5 descendant,
 * on fresh chains, with the whole ledger in this JVM. Runs only with {@code -Dledger.bench=true};
 * {@code -Dbench.n} (default 50) measured rounds after {@code -Dbench.warmup} (default 5), over
 * Kafka or SSE ({@code -Dbench.via=kafka|sse|both}, default both). By default it polls the server
 * every millisecond; {@code -Dbench.wait=listener} instead waits on the subscriber's listener and
 * asks once, to see what the ~100 reported uses per round cost. Prints lines starting with BENCH.
 *
 * <p>To tell the ledger's share from the subscriber's, a plain read_committed consumer of {@code
 * ledger.revocations} beside it records when the leaf's notice became readable, and the notice's
 * {@code notified_at} tells when the tree processor wrote it (before its commit).
 */
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class ExampleResourceServerBench {

  private static final int DEPTH = 5;
  private static final long SETTLE_MS = Long.getLong("bench.settle", 500);

  @TempDir Path tmp;

  @Test
  void revokeToDenyLatency() throws Exception {
    int n = Integer.getInteger("bench.n", 50);
    int warmup = Integer.getInteger("bench.warmup", 5);
    String via = System.getProperty("bench.via", "both");
    try (LedgerFixture ledger = LedgerFixture.start(tmp.resolve("data"))) {
      for (String mode : via.equals("both") ? List.of("kafka", "sse") : List.of(via)) {
        measure(ledger, mode, n, warmup);
      }
    }
  }

  private static void measure(LedgerFixture ledger, String mode, int n, int warmup)
      throws Exception {
    Map<String, Long> noticed = new ConcurrentHashMap<>();
    // The subscriber's consumer keeps Kafka's fetch.max.wait.ms (500) unless told:
    // -Dbench.fetchMaxWait=50 compares.
    String fetchMaxWait = System.getProperty("bench.fetchMaxWait");
    boolean pollHttp = !"listener".equals(System.getProperty("bench.wait", "http"));
    Map<String, String> consumer =
        fetchMaxWait == null ? Map.of() : Map.of("fetch.max.wait.ms", fetchMaxWait);
    Map<String, long[]> raw = new ConcurrentHashMap<>();
    Map<String, List<long[]>> trees = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread watcher =
        Thread.ofPlatform()
            .daemon()
            .start(() -> watch(ledger.node.kafkaClientSettings(), raw, trees, stop));
    try (ExampleResourceServer server =
        ExampleResourceServer.start(ledger.exampleSettings(mode.equals("kafka"), consumer))) {
      server
          .revocations()
          .addListener(
              new RevocationListener() {
                @Override
                public void onRevoked(Revocation revocation) {
                  noticed.putIfAbsent(revocation.tokenId(), System.nanoTime());
                }

                @Override
                public void onForgotten(String tenant, String tokenId) {}
              });
      KafkaProducer<byte[], byte[]> direct =
          "kafka".equals(System.getProperty("bench.revokeVia"))
              ? new KafkaProducer<>(
                  ledger.node.kafkaClientSettings().with(Map.of("acks", "all")).config(),
                  new ByteArraySerializer(),
                  new ByteArraySerializer())
              : null;
      List<Double> toNotice = new ArrayList<>();
      List<Double> toDeny = new ArrayList<>();
      List<Double> toWritten = new ArrayList<>();
      List<Double> toReadable = new ArrayList<>();
      List<Double> toStage1 = new ArrayList<>();
      List<Double> toStage1Readable = new ArrayList<>();
      for (int i = 0; i < warmup + n; i++) {
        List<String> chain = ledger.postChain("bench-" + mode + "-" + i, DEPTH);
        String leaf = chain.getLast();
        assertThat(fares(server.port(), leaf, "agent:bench", "LHR-JFK").statusCode())
            .isEqualTo(200);
        // Revoke only once the chain is in the ledger's state, so the time is the revocation's
        // alone.
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> ledger.ledgerGet("/v1/tokens/" + leaf + "?tenant=acme").statusCode() == 200);
        // Let the chain's aftermath (token updates, audit records, indexing) settle first, so that
        // every round revokes on an equally quiet ledger: -Dbench.settle=0 revokes at once.
        Thread.sleep(SETTLE_MS);
        if (direct != null) {
          // -Dbench.revokeVia=kafka: straight to ledger.events, to tell the HTTP ingest's share
          // apart
          byte[] event =
              Topics.EVENTS
                  .valueSerde()
                  .serializer()
                  .serialize(
                      "x",
                      dev.ledger.ingest.client.Events.revoked(chain.getFirst())
                          .tenant(LedgerFixture.TENANT)
                          .reason("test")
                          .revokedBy("user:dana")
                          .build());
          direct
              .send(
                  new ProducerRecord<>(
                      Topics.EVENTS.name(),
                      (LedgerFixture.TENANT + "/" + chain.getFirst()).getBytes(),
                      event))
              .get();
        } else {
          ledger.revoke(chain.getFirst());
        }
        long acked = System.nanoTime();
        long ackedWall = System.currentTimeMillis();
        long deadline = acked + Duration.ofSeconds(30).toNanos();
        long denied;
        if (!pollHttp) {
          // Wait on the subscriber without HTTP calls (and without the use reports they cause),
          // then check once.
          while (!noticed.containsKey(leaf) && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
        }
        while (true) {
          int status = fares(server.port(), leaf, "agent:bench", "LHR-JFK").statusCode();
          if (status == 403) {
            denied = System.nanoTime();
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "no 403 for " + leaf + " within 30 s of revoking " + chain.getFirst());
          }
          Thread.sleep(1);
        }
        if (i >= warmup) {
          toDeny.add((denied - acked) / 1e6);
          toNotice.add((noticed.get(leaf) - acked) / 1e6);
          await().atMost(Duration.ofSeconds(30)).until(() -> raw.containsKey(leaf));
          toWritten.add((double) (raw.get(leaf)[1] - ackedWall));
          toReadable.add((raw.get(leaf)[0] - acked) / 1e6);
          long[] forwarded =
              trees.getOrDefault(LedgerFixture.TENANT + "/" + chain.getFirst(), List.of()).stream()
                  .filter(t -> t[1] >= ackedWall - 5)
                  .findFirst()
                  .orElse(null);
          if (forwarded != null) {
            toStage1.add((double) (forwarded[1] - ackedWall));
            toStage1Readable.add((forwarded[0] - acked) / 1e6);
          }
        }
      }
      System.out.printf(
          "BENCH example-resource-server via %s (subscriber fetch.max.wait.ms %s), depth %d, n=%d: POST ack -> first 403: %s;"
              + " POST ack -> notice in the subscriber: %s%n",
          mode + (pollHttp ? "" : ", waiting on the listener"),
          fetchMaxWait == null ? "default" : fetchMaxWait,
          DEPTH,
          n,
          summary(toDeny),
          summary(toNotice));
      System.out.printf(
          "BENCH   POST ack -> leaf notice written by the tree processor (notified_at, ms clock): %s;"
              + " POST ack -> readable to a read_committed consumer: %s%n",
          summary(toWritten), summary(toReadable));
      if (!toStage1.isEmpty()) {
        System.out.printf(
            "BENCH   POST ack -> forwarded by stage 1 (record timestamp): %s; POST ack -> readable on the trees topic: %s%n",
            summary(toStage1), summary(toStage1Readable));
      }
      System.out.printf(
          "BENCH uses reported %d, lost %d%n",
          server.reporter().delivered(), server.reporter().lost());
    } finally {
      stop.set(true);
      watcher.join();
    }
  }

  /** Records, per token id, when its notice was read (nanoTime) and its notified_at (epoch ms). */
  private static void watch(
      KafkaClientSettings kafka,
      Map<String, long[]> seen,
      Map<String, List<long[]>> trees,
      AtomicBoolean stop) {
    Map<String, Object> p = kafka.config();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    // The fixture runs streams under the default application id; its topology names the topic.
    String treesTopic =
        LedgerTopology.treesTopic(
                StreamsSettings.builder(kafka.bootstrapServers())
                    .applicationId(ConfigKey.STREAMS_APPLICATION_ID.defaultValue())
                    .stateDir(Path.of("unused"))
                    .build())
            .name();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.REVOCATIONS.name(), treesTopic)) {
        c.partitionsFor(topic)
            .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      }
      c.assign(partitions);
      c.seekToEnd(partitions);
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
          long now = System.nanoTime();
          if (r.topic().equals(treesTopic)) {
            trees
                .computeIfAbsent(
                    new String(r.key()), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new long[] {now, r.timestamp()});
            continue;
          }
          RevocationNotice notice =
              r.value() == null
                  ? null
                  : Topics.REVOCATIONS
                      .valueSerde()
                      .deserializer()
                      .deserialize(r.topic(), r.value());
          if (notice != null && notice.getNotifiedAt() != null) {
            seen.putIfAbsent(
                notice.getTokenId(), new long[] {now, notice.getNotifiedAt().toEpochMilli()});
          }
        }
      }
    }
  }

  private static String summary(List<Double> millis) {
    double[] v = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms, mean %.1f ms",
        percentile(v, 0.50),
        percentile(v, 0.99),
        v[v.length - 1],
        Arrays.stream(v).average().orElse(0));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}

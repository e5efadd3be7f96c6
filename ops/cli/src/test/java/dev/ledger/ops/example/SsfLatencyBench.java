package dev.ledger.ops.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation to SET received, over SSF poll and push, beside the Kafka notice path: from {@code
 * POST /v1/events} of a token's revocation being acknowledged to (a) its notice being readable on
 * {@code ledger.revocations} by a plain read_committed consumer, (b) its SET arriving at a receiver
 * long-polling with acks, (c) its SET arriving at a push receiver. Each round revokes a fresh
 * indexed token. Runs only with {@code -Dledger.bench=true}; {@code -Dbench.n} (default 50) rounds
 * after {@code -Dbench.warmup} (default 5). Prints lines starting with BENCH.
 */
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class SsfLatencyBench {
  @TempDir Path data;

  @Test
  void revocationToSetLatency() throws Exception {
    int n = Integer.getInteger("bench.n", 50);
    int warmup = Integer.getInteger("bench.warmup", 5);
    String key =
        ApiKeyStore.open(data.resolve("keys.json"))
            .create(Role.subscriber, LedgerFixture.TENANT, "bench")
            .secret();
    Map<String, Long> kafkaAt = new ConcurrentHashMap<>();
    Map<String, Long> pollAt = new ConcurrentHashMap<>();
    Map<String, Long> pushAt = new ConcurrentHashMap<>();
    HttpServer push = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    push.createContext(
        "/events",
        exchange -> {
          long now = System.nanoTime();
          String set = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          try {
            pushAt.putIfAbsent(subject(set), now);
          } catch (Exception e) {
            // not a SET of ours
          }
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    push.start();
    AtomicBoolean running = new AtomicBoolean(true);
    try (LedgerFixture ledger = LedgerFixture.start(data)) {
      SsfReceiver rx = new SsfReceiver(ledger.base, key);
      rx.discover();
      JsonNode poll = rx.createStream(Map.of());
      rx.createStream(
          Map.of(
              "delivery",
              Map.of(
                  "method",
                  "urn:ietf:rfc:8935",
                  "endpoint_url",
                  "http://127.0.0.1:" + push.getAddress().getPort() + "/events")));
      Thread poller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    List<String> ack = List.of();
                    while (running.get()) {
                      try {
                        JsonNode answer =
                            rx.poll(
                                poll,
                                Map.of("ack", ack, "returnImmediately", false, "maxEvents", 100));
                        long now = System.nanoTime();
                        List<String> got = new ArrayList<>();
                        answer
                            .get("sets")
                            .properties()
                            .forEach(
                                e -> {
                                  got.add(e.getKey());
                                  try {
                                    pollAt.putIfAbsent(subject(e.getValue().asText()), now);
                                  } catch (Exception ignored) {
                                    // not ours
                                  }
                                });
                        ack = got;
                      } catch (Exception e) {
                        if (running.get()) {
                          e.printStackTrace();
                        }
                      }
                    }
                  });
      Map<String, Object> consumerConfig =
          new HashMap<>(ledger.node.kafkaClientSettings().config());
      consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      Thread kafka =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (KafkaConsumer<byte[], byte[]> c =
                        new KafkaConsumer<>(
                            consumerConfig,
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                      List<TopicPartition> parts =
                          c.partitionsFor(Topics.REVOCATIONS.name()).stream()
                              .map(p -> new TopicPartition(p.topic(), p.partition()))
                              .toList();
                      c.assign(parts);
                      c.seekToEnd(parts);
                      parts.forEach(c::position);
                      var deserializer = Topics.REVOCATIONS.valueSerde().deserializer();
                      while (running.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                          long now = System.nanoTime();
                          if (r.value() != null) {
                            RevocationNotice notice =
                                deserializer.deserialize(r.topic(), r.value());
                            kafkaAt.putIfAbsent(notice.getTokenId(), now);
                          }
                        }
                      }
                    }
                  });
      List<Long> kafkaMs = new ArrayList<>();
      List<Long> pollMs = new ArrayList<>();
      List<Long> pushMs = new ArrayList<>();
      for (int i = 0; i < warmup + n; i++) {
        String token = ledger.postChain("bench-" + i, 0).get(0);
        long indexed = System.nanoTime() + 30_000_000_000L;
        while (ledger
                    .ledgerGet("/v1/tokens/" + token + "?tenant=" + LedgerFixture.TENANT)
                    .statusCode()
                != 200
            && System.nanoTime() < indexed) {
          Thread.sleep(20);
        }
        ledger.revoke(token);
        long acked = System.nanoTime();
        long deadline = acked + 30_000_000_000L;
        while ((!kafkaAt.containsKey(token)
                || !pollAt.containsKey(token)
                || !pushAt.containsKey(token))
            && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        if (i >= warmup) {
          kafkaMs.add(ms(kafkaAt.get(token), acked));
          pollMs.add(ms(pollAt.get(token), acked));
          pushMs.add(ms(pushAt.get(token), acked));
        }
      }
      running.set(false);
      report("kafka notice readable", kafkaMs);
      report("SSF poll SET received", pollMs);
      report("SSF push SET received", pushMs);
      poller.join(30_000);
      kafka.join(5_000);
    } finally {
      running.set(false);
      push.stop(0);
    }
  }

  private static String subject(String compact) throws Exception {
    JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(compact).getJWTClaimsSet();
    Map<String, Object> sub = claims.getJSONObjectClaim("sub_id");
    return (String) (sub.containsKey("jti") ? sub.get("jti") : sub.get("id"));
  }

  private static long ms(Long at, long from) {
    return at == null ? Long.MAX_VALUE : (at - from) / 1_000_000;
  }

  private static void report(String what, List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    long p50 = sorted.get((int) Math.floor(0.50 * (sorted.size() - 1)));
    long p99 = sorted.get((int) Math.ceil(0.99 * (sorted.size() - 1)));
    System.out.printf(
        "BENCH %-24s n=%d p50=%d ms p99=%d ms max=%d ms%n",
        what, sorted.size(), p50, p99, sorted.getLast());
  }
}

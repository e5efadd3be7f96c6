package dev.ledger.bench.cluster;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code ledger.audit} and {@code ledger.revocations} as a consumer of the ledger does
 * (read_committed, every partition, no group) and notes when each event's audit record and each
 * token's first notice arrived, and when every notice arrived, on this JVM's {@link
 * System#nanoTime()} clock, so that they compare with the times events were posted.
 */
final class OutputClock implements AutoCloseable {

  private final Map<String, Long> firstNotice = new ConcurrentHashMap<>();
  private final Map<String, Long> audited = new ConcurrentHashMap<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Throwable failure;

  OutputClock(KafkaClientSettings kafka) {
    Map<String, Object> p = kafka.config();
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    thread = Thread.ofPlatform().daemon().name("cluster-output-clock").start(() -> loop(p));
  }

  private void loop(Map<String, Object> props) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of(Topics.AUDIT.name(), Topics.REVOCATIONS.name())) {
        consumer
            .partitionsFor(topic)
            .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      var audit = Topics.AUDIT.valueSerde().deserializer();
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (r.topic().equals(Topics.AUDIT.name())) {
            AuditRecord a = audit.deserialize(r.topic(), r.value());
            if (a.getAmends() == null) {
              audited.putIfAbsent(a.getTenant() + "/" + a.getEventId(), System.nanoTime());
            }
          } else if (r.value() != null) {
            long now = System.nanoTime();
            arrivals.add(now);
            firstNotice.putIfAbsent(new String(r.key(), StandardCharsets.UTF_8), now);
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** How many of {@code events} ({@code tenant/event_id}) have their audit record. */
  long audited(java.util.Collection<String> events) {
    return events.stream().filter(audited::containsKey).count();
  }

  /** When each event's audit record arrived, from {@code since} on, in order. */
  List<Long> auditTimes(long since) {
    return audited.values().stream().filter(t -> t >= since).sorted().toList();
  }

  /** How many of {@code tokens} ({@code tenant/token_id}) were noticed revoked. */
  long noticed(java.util.Collection<String> tokens) {
    return tokens.stream().filter(firstNotice::containsKey).count();
  }

  /** When the first notice of {@code tenant/token_id} arrived, or null. */
  Long firstNotice(String token) {
    return firstNotice.get(token);
  }

  /** Arrival times of every notice so far, in arrival order. */
  List<Long> arrivals() {
    if (failure != null) {
      throw new IllegalStateException("the revocation reader failed", failure);
    }
    return List.copyOf(arrivals);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(10_000);
  }
}

package dev.ledger.bench.kafka;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as it stands: every committed record from the beginning to the end offsets
 * taken when the scan starts, in partition order, as bytes. For checks after a run (what reached
 * {@code ledger.dlq}, which events have an audit record), not for load.
 */
public final class TopicScan {

  private TopicScan() {}

  /**
   * Passes every committed record of {@code topic} to {@code sink}; fails when the end is not
   * reached within {@code timeout}.
   */
  public static void scan(
      KafkaClientSettings kafka,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    Map<String, Object> p = kafka.config();
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within " + timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(sink);
      }
    }
  }
}

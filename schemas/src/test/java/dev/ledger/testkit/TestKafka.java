package dev.ledger.testkit;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.EmbeddedKafka;
import dev.ledger.schemas.kafka.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Real embedded KRaft brokers for integration tests: {@link #start(int)} gives a fresh broker in a
 * temporary directory with every ledger topic created. Close it in {@code @AfterAll}.
 */
public final class TestKafka {

  private TestKafka() {}

  /** A new broker with every ledger topic created with {@code partitions} partitions. */
  public static EmbeddedKafka start(int partitions) {
    try {
      Path dir = Files.createTempDirectory("ledger-kafka-");
      EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
      TopicAdmin.ensureTopics(kafka.clientSettings(), partitions, (short) 1);
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Consumer properties for a fresh group reading from the beginning, read_committed. */
  public static Properties consumerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /**
   * Reads raw records from {@code topic} until {@code expected} have arrived or {@code timeout}
   * passes, then keeps polling for {@code settle} to catch any extra (duplicate) records.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, int expected, Duration timeout, Duration settle) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      long settleEnd = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleEnd) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  /** The topic names of the catalogue, for assertions. */
  public static List<String> topicNames() {
    return Topics.all().stream().map(t -> t.name()).toList();
  }
}

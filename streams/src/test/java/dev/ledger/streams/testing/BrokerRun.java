package dev.ledger.streams.testing;

import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.kafka.EmbeddedKafka;
import dev.ledger.streams.LedgerStreams;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/** A real broker (4 partitions) and the real application for integration tests and benchmarks. */
public final class BrokerRun implements AutoCloseable {

  public final EmbeddedKafka kafka;
  private final KafkaProducer<byte[], byte[]> producer;

  public BrokerRun(int partitions) {
    kafka = TestKafka.start(partitions);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  public String bootstrap() {
    return kafka.bootstrapServers();
  }

  /** Settings for an application on this broker, state in a fresh temporary directory. */
  public StreamsSettings.Builder settings(String applicationId) {
    try {
      Path state = Files.createTempDirectory("ledger-streams-");
      return StreamsSettings.builder(bootstrap()).applicationId(applicationId).stateDir(state);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts the application and waits until it is RUNNING. */
  public LedgerStreams startStreams(StreamsSettings settings) {
    return startStreams(settings, null);
  }

  /**
   * Starts the application with its metrics bound to {@code registry} (may be null) and waits until
   * it is RUNNING.
   */
  public LedgerStreams startStreams(
      StreamsSettings settings, io.micrometer.core.instrument.MeterRegistry registry) {
    LedgerStreams app = LedgerStreams.start(settings, registry);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> app.state() == KafkaStreams.State.RUNNING);
    return app;
  }

  /** Produces events and waits for every acknowledgement. */
  public void send(List<LedgerEvent> events) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (LedgerEvent event : events) {
      acks.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.EVENTS.name(),
                  Events.key(event).getBytes(),
                  Topics.EVENTS.valueSerde().serializer().serialize(Topics.EVENTS.name(), event))));
    }
    await(acks);
  }

  /** Produces one raw record and waits for its acknowledgement; returns the ack time in nanos. */
  public long sendRaw(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, value)).get();
      return System.nanoTime();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads {@code expected} committed records of {@code topic} (then {@code settle} more time) as
   * key → value pairs; null values are tombstones.
   */
  public <V> List<Map.Entry<String, V>> read(
      Topic<String, V> topic, int expected, Duration timeout, Duration settle) {
    List<Map.Entry<String, V>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        TestKafka.readAll(bootstrap(), topic.name(), expected, timeout, settle)) {
      out.add(
          new java.util.AbstractMap.SimpleEntry<>(
              new String(r.key()),
              topic.valueSerde().deserializer().deserialize(topic.name(), r.value())));
    }
    return out;
  }

  private static void await(List<java.util.concurrent.Future<?>> acks) {
    try {
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
    kafka.close();
  }
}

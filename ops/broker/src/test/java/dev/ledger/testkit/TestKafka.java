package dev.ledger.testkit;

import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.schemas.kafka.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one broker harness of the integration tests and test benchmarks: {@link #start(int)} gives a
 * real embedded KRaft broker in a temporary directory with every ledger topic created, with a
 * producer that writes events to {@code ledger.events} ({@link #send(List)}, {@link #sendRaw}) and
 * readers of what a topic holds ({@link #read}, {@link #readAll}). Close it in {@code @AfterAll} or
 * with try-with-resources.
 */
public final class TestKafka implements AutoCloseable {

  private final EmbeddedKafka broker;
  private KafkaProducer<byte[], byte[]> producer;

  private TestKafka(EmbeddedKafka broker) {
    this.broker = broker;
  }

  /** A new broker with every ledger topic created with {@code partitions} partitions. */
  public static TestKafka start(int partitions) {
    try {
      Path dir = Files.createTempDirectory("ledger-kafka-");
      EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
      try {
        TopicAdmin.ensureTopics(kafka.clientSettings(), partitions, (short) 1);
      } catch (Exception e) {
        kafka.close();
        throw e;
      }
      return new TestKafka(kafka);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The broker itself. */
  public EmbeddedKafka broker() {
    return broker;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** What a Kafka client of this broker is built from. */
  public KafkaClientSettings clientSettings() {
    return broker.clientSettings();
  }

  /**
   * Writes events to {@code ledger.events} under their {@link LedgerKey}, waiting for every ack.
   */
  public void send(List<LedgerEvent> events) {
    List<Future<?>> acks = new ArrayList<>();
    for (LedgerEvent event : events) {
      acks.add(
          producer()
              .send(
                  new ProducerRecord<>(
                      Topics.EVENTS.name(),
                      LedgerKey.of(event).toString().getBytes(StandardCharsets.UTF_8),
                      Topics.EVENTS
                          .valueSerde()
                          .serializer()
                          .serialize(Topics.EVENTS.name(), event))));
    }
    for (Future<?> ack : acks) {
      await(ack);
    }
  }

  /**
   * Writes one raw record to {@code ledger.events} and waits for its ack.
   *
   * @return {@link System#nanoTime()} when the ack arrived
   */
  public long sendRaw(byte[] key, byte[] value) {
    await(producer().send(new ProducerRecord<>(Topics.EVENTS.name(), key, value)));
    return System.nanoTime();
  }

  /**
   * Reads {@code expected} committed records of {@code topic} (then {@code settle} more time) as
   * key → value pairs; null values are tombstones.
   */
  public <V> List<Map.Entry<String, V>> read(
      Topic<String, V> topic, int expected, Duration timeout, Duration settle) {
    List<Map.Entry<String, V>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        readAll(bootstrapServers(), topic.name(), expected, timeout, settle)) {
      out.add(
          new AbstractMap.SimpleEntry<>(
              new String(r.key(), StandardCharsets.UTF_8),
              topic.valueSerde().deserializer().deserialize(topic.name(), r.value())));
    }
    return out;
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

  /** The producer, made on the first write: most tests write through the code under test. */
  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  private static void await(Future<?> ack) {
    try {
      ack.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close();
    }
    broker.close();
  }
}

package dev.ledger.api.ssf.internal;

import dev.ledger.schemas.Topic;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live set of SSF streams, kept on a compacted topic so that it survives restarts and every API
 * instance sees the same streams. {@link #start} reads the topic to its end before the API answers;
 * a follower thread then applies what other instances write. Writes go to Kafka first and are
 * applied here once acknowledged.
 */
public final class StreamStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamStore.class);

  private final Topic<String, String> topic;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, StreamConfig> streams = new ConcurrentHashMap<>();
  private final BiConsumer<String, StreamConfig> onChange;
  private final Thread follower;
  private volatile boolean closed;

  /**
   * @param kafka client settings (bootstrap servers, login)
   * @param onChange called with (stream id, config) on every change, config null once deleted
   */
  private StreamStore(
      Map<String, Object> kafka,
      Topic<String, String> topic,
      BiConsumer<String, StreamConfig> onChange) {
    this.topic = topic;
    this.onChange = onChange;
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-ssf-streams-writer");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "ledger-ssf-streams-reader");
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    this.follower = Thread.ofPlatform().daemon().name("ledger-ssf-streams").unstarted(this::follow);
  }

  /** Opens the store, reads every stream there is, and follows the topic from then on. */
  public static StreamStore start(
      Map<String, Object> kafka,
      Topic<String, String> topic,
      BiConsumer<String, StreamConfig> onChange,
      Duration timeout) {
    StreamStore store = new StreamStore(kafka, topic, onChange);
    try {
      store.load(timeout);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    store.follower.start();
    return store;
  }

  private void load(Duration timeout) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name(), timeout).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic.name() + " within " + timeout);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
    }
  }

  private void follow() {
    while (!closed) {
      try {
        consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("following {} failed, retrying: {}", topic.name(), e.toString());
          sleep();
        }
      }
    }
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      if (streams.remove(record.key()) != null) {
        onChange.accept(record.key(), null);
      }
      return;
    }
    try {
      StreamConfig config = StreamConfig.fromStored(record.value());
      StreamConfig before = streams.put(config.streamId(), config);
      if (!config.equals(before)) {
        onChange.accept(config.streamId(), config);
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping record {} of {}: {}", record.offset(), topic.name(), e.getMessage());
    }
  }

  /**
   * @return the stream, if it exists
   */
  public Optional<StreamConfig> get(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  /**
   * @return the streams of {@code tenant} (every tenant's when null), oldest first
   */
  public List<StreamConfig> list(String tenant) {
    return streams.values().stream()
        .filter(s -> tenant == null || s.tenant().equals(tenant))
        .sorted(Comparator.comparing(StreamConfig::createdAt).thenComparing(StreamConfig::streamId))
        .toList();
  }

  /**
   * @return every stream
   */
  public List<StreamConfig> all() {
    return list(null);
  }

  /** Writes {@code config} to Kafka and, once acknowledged, applies it here. */
  public synchronized void put(StreamConfig config) {
    write(config.streamId(), config.toStored());
    StreamConfig before = streams.put(config.streamId(), config);
    if (!config.equals(before)) {
      onChange.accept(config.streamId(), config);
    }
  }

  /** Writes the stream's tombstone and forgets it. */
  public synchronized void delete(String streamId) {
    write(streamId, null);
    if (streams.remove(streamId) != null) {
      onChange.accept(streamId, null);
    }
  }

  private void write(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing " + topic.name());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write " + topic.name() + ": " + e, e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      follower.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!follower.isAlive()) {
      consumer.close(Duration.ofSeconds(2));
    }
    producer.close(Duration.ofSeconds(2));
  }
}

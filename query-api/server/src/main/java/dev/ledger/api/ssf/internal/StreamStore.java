package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 *
 * <p>Besides a stream's configuration (key: the stream id) the topic keeps what every instance must
 * see of it: each verification or stream-updated SET queued and not yet delivered (key {@code
 * <stream id>#set:<jti>}, tombstoned once delivered), when its receiver was last heard from (key
 * {@code <stream id>#active}) and, for a push stream, its delivery figures as the instance pushing
 * it last published them (key {@code <stream id>#delivery}). Deleting the stream tombstones them
 * too.
 *
 * <p>Writes may come from any thread at once: each record is applied once, and never after a newer
 * record of its key.
 */
public final class StreamStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SET = "#set:";
  private static final String ACTIVE = "#active";
  private static final String DELIVERY = "#delivery";

  /** What the store tells its user, for changes of this instance and of every other. */
  public interface Listener {
    /** A stream was created or changed, or (config null) deleted. */
    void changed(String streamId, StreamConfig config);

    /** A SET not made from a notice was queued for the stream, or (set null) delivered. */
    void queued(String streamId, String jti, String set);

    /** The stream's receiver was heard from at {@code at} (by some instance). */
    void heard(String streamId, Instant at);

    /**
     * The instance {@code instance} (an id it made up when it started) published the push stream's
     * delivery figures ({@link PushState#describe()}'s form).
     */
    void delivery(String streamId, String instance, JsonNode figures);
  }

  private final Topic<String, String> topic;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, StreamConfig> streams = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> sideKeys = new ConcurrentHashMap<>();

  /** The offset of the last record applied, per key. */
  private final Map<String, Long> applied = new ConcurrentHashMap<>();

  private final Listener listener;
  private final Thread follower;
  private volatile boolean closed;

  private StreamStore(Map<String, Object> kafka, Topic<String, String> topic, Listener listener) {
    this.topic = topic;
    this.listener = listener;
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
      Map<String, Object> kafka, Topic<String, String> topic, Listener listener, Duration timeout) {
    StreamStore store = new StreamStore(kafka, topic, listener);
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
    List<TopicPartition> all =
        consumer.partitionsFor(topic.name(), timeout).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    consumer.assign(all);
    consumer.seekToBeginning(all);
    Map<TopicPartition, Long> end = consumer.endOffsets(all, timeout);
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
          Pause.of(Pause.AFTER_ERROR);
        }
      }
    }
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.key() != null) {
      apply(record.key(), record.value(), record.partition(), record.offset());
    }
  }

  /**
   * Applies one record, once: this instance's own writes are applied when Kafka acknowledges them
   * and come back through the follower later, and a record no newer than the key's last applied one
   * is skipped (so an echo never undoes a later write, nor delivers a queued SET again).
   */
  private void apply(String key, String value, int partition, long offset) {
    if (!advance(key, offset)) {
      return;
    }
    try {
      if (key.contains("#")) {
        applySide(key, value);
        return;
      }
      partitions.put(key, partition);
      if (value == null) {
        forget(key);
        return;
      }
      applyConfig(StreamConfig.fromStored(value));
    } catch (RuntimeException e) {
      // One bad record (or a failure following it) must not cost the records after it.
      LOG.warn("skipping record {} of {}: {}", offset, topic.name(), e.toString());
    }
  }

  private boolean advance(String key, long offset) {
    boolean[] newer = {false};
    applied.compute(
        key,
        (k, last) -> {
          if (last == null || offset > last) {
            newer[0] = true;
            return offset;
          }
          return last;
        });
    return newer[0];
  }

  private void applyConfig(StreamConfig config) {
    StreamConfig before = streams.put(config.streamId(), config);
    if (!config.equals(before)) {
      listener.changed(config.streamId(), config);
    }
  }

  private void forget(String streamId) {
    if (streams.remove(streamId) != null) {
      listener.changed(streamId, null);
    }
  }

  /**
   * @throws IllegalArgumentException when the key or value is not one of the side records
   */
  private void applySide(String key, String value) {
    String streamId = key.substring(0, key.indexOf('#'));
    if (value == null) {
      Set<String> keys = sideKeys.get(streamId);
      if (keys != null) {
        keys.remove(key);
      }
    } else {
      sideKeys.computeIfAbsent(streamId, id -> ConcurrentHashMap.newKeySet()).add(key);
    }
    if (key.startsWith(streamId + SET)) {
      String jti = key.substring(streamId.length() + SET.length());
      listener.queued(streamId, jti, value == null ? null : field(value, "set").asText());
    } else if (key.equals(streamId + ACTIVE)) {
      if (value != null) {
        listener.heard(streamId, Instant.parse(field(value, "at").asText()));
      }
    } else if (key.equals(streamId + DELIVERY)) {
      if (value != null) {
        JsonNode figures = tree(value).get("delivery");
        if (figures == null || !figures.isObject()) {
          throw new IllegalArgumentException("no delivery in " + value);
        }
        listener.delivery(streamId, field(value, "instance").asText(), figures);
      }
    } else {
      throw new IllegalArgumentException("unknown key " + key);
    }
  }

  private static JsonNode field(String value, String name) {
    JsonNode v = tree(value).get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("no " + name + " in " + value);
    }
    return v;
  }

  private static JsonNode tree(String value) {
    try {
      return JSON.readTree(value);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * @return the stream, if it exists
   */
  public Optional<StreamConfig> get(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  /**
   * @return the partition of {@code ledger.ssf.streams} the stream's configuration is kept in,
   *     which decides the instance that transmits it (see {@link StreamOwnership})
   */
  public OptionalInt partition(String streamId) {
    Integer p = partitions.get(streamId);
    return p == null ? OptionalInt.empty() : OptionalInt.of(p);
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
  public void put(StreamConfig config) {
    write(config.streamId(), config.toStored());
  }

  /** Writes the stream's tombstone, and those of its queued SETs and activity, and forgets it. */
  public void delete(String streamId) {
    write(streamId, null);
    Set<String> keys = sideKeys.get(streamId);
    if (keys != null) {
      for (String key : List.copyOf(keys)) {
        write(key, null);
      }
    }
  }

  /** Queues a SET not made from a notice (verification, stream-updated) for every instance. */
  public void queue(String streamId, String jti, String set) {
    write(streamId + SET + jti, JSON.createObjectNode().put("set", set).toString());
  }

  /** Removes a queued SET: it was delivered (or acknowledged) at some instance. */
  public void dequeue(String streamId, String jti) {
    write(streamId + SET + jti, null);
  }

  /** Tells every instance that the stream's receiver was heard from at {@code at}. */
  public void heard(String streamId, Instant at) {
    write(streamId + ACTIVE, JSON.createObjectNode().put("at", at.toString()).toString());
  }

  /**
   * Tells every instance how the push stream's delivery goes, as {@code instance} (the one pushing
   * it) counted.
   */
  public void delivery(String streamId, String instance, Map<String, Object> figures) {
    ObjectNode value = JSON.createObjectNode().put("instance", instance);
    value.set("delivery", JSON.valueToTree(figures));
    write(streamId + DELIVERY, value.toString());
  }

  /** Writes one record and, once Kafka acknowledged it, applies it here. */
  private void write(String key, String value) {
    RecordMetadata written;
    try {
      written =
          producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing " + topic.name());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write " + topic.name() + ": " + e, e);
    }
    apply(key, value, written.partition(), written.offset());
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

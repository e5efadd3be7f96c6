package dev.ledger.api.ssf.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream's committed position in {@code ledger.revocations} so that two API instances
 * never overwrite each other's acknowledgements.
 *
 * <p>Kafka has no compare-and-set on committed offsets, but it fences transactional producers: the
 * position is written in a transaction of a producer whose {@code transactional.id} is the stream's
 * ({@code ledger-ssf-<stream id>}), the same at every instance. A producer that starts (initialises
 * its transactions) fences every earlier one of that id, and waits until their transactions are
 * finished. So a write succeeds only if no other instance started writing since this one's producer
 * started, and this one read the position after that: whatever the write puts in was computed from
 * the latest committed position. A fenced write starts a new producer (fencing the other one in
 * turn), reads the position again and retries.
 *
 * <p>Not thread-safe: the cursor calls it under its lock.
 */
final class PositionWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PositionWriter.class);

  /** Two instances writing the same stream in turn fence each other once per write; three tries. */
  private static final int TRIES = 3;

  private final Map<String, Object> config;
  private final ConsumerGroupMetadata group;
  private final String streamId;
  private KafkaProducer<byte[], byte[]> producer;

  /**
   * @param kafka client settings (bootstrap servers, security)
   * @param groupId the consumer group that holds the position
   */
  PositionWriter(Map<String, Object> kafka, String streamId, String groupId) {
    this.streamId = streamId;
    this.group = new ConsumerGroupMetadata(groupId);
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(streamId));
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-ssf-position-" + streamId);
    // Bounds how long a write may hold the cursor's lock while the broker is away.
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    // A transaction left open by an instance that died keeps the position unreadable (reads ask
    // for a stable one) until another instance's producer starts or this timeout ends it.
    c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    this.config = Map.copyOf(c);
  }

  /**
   * @return the transactional id of a stream's position writers, for operators' ACLs
   */
  static String transactionalId(String streamId) {
    return "ledger-ssf-" + streamId;
  }

  /**
   * Writes the position {@code offsets} computes. It is called on each try after this writer holds
   * the stream's position, so it must read the committed position itself and merge into it; it
   * returns null when it cannot (then nothing is written).
   *
   * @return whether the position was written; if not, the reason was logged and the next write
   *     carries the same information
   */
  boolean write(Supplier<Map<TopicPartition, OffsetAndMetadata>> offsets) {
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        startProducer();
        // Read after this producer started: no other instance's write can land from here on
        // without fencing this one.
        Map<TopicPartition, OffsetAndMetadata> position = offsets.get();
        if (position == null) {
          return false;
        }
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(position, group);
        producer.commitTransaction();
        return true;
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        // Another instance wrote this stream's position since this producer started: start again,
        // which fences that one, and merge what it wrote.
        LOG.debug("stream {}: position write fenced, try {}", streamId, attempt);
        discardProducer();
      } catch (KafkaException e) {
        LOG.warn("stream {}: writing its position failed: {}", streamId, e.toString());
        discardProducer();
        return false;
      }
    }
    LOG.warn("stream {}: writing its position was fenced {} times in a row", streamId, TRIES);
    return false;
  }

  /**
   * Starts this instance's writer of the stream's position now, which fences every other instance's
   * writer and aborts a transaction one left open: an instance that died mid-write (kill -9) leaves
   * the position unreadable (reads wait for a stable one) until then, or until Kafka's transaction
   * timeout ends it.
   *
   * @return whether the writer started; if not, the reason was logged
   */
  boolean claim() {
    // A writer started before may have been fenced since without knowing it: start a new one.
    discardProducer();
    try {
      startProducer();
      return true;
    } catch (KafkaException e) {
      LOG.warn("stream {}: claiming its position failed: {}", streamId, e.toString());
      discardProducer();
      return false;
    }
  }

  private void startProducer() {
    if (producer == null) {
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
      producer.initTransactions();
    }
  }

  /** A producer that failed is closed; the next one's start aborts whatever it left open. */
  private void discardProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("stream {}: closing a failed position writer: {}", streamId, e.toString());
      }
      producer = null;
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
      producer = null;
    }
  }
}

package dev.ledger.revocation.internal;

import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.kafka.GrowingAssignment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows {@code ledger.revocations} with a plain consumer: every partition assigned by hand (no
 * consumer group, each resource server needs every notice), read from the beginning,
 * read_committed. Caught up once each partition's position reaches the end offset it had when first
 * seen. A background thread polls; Kafka errors are reported and retried with backoff, and the
 * consumer reconnects by itself after a broker restart, keeping its positions, so no notice is
 * lost.
 */
public final class KafkaRevocationSource extends SourceCore {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration POSITION_TIMEOUT = Duration.ofMillis(100);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<RevocationNotice> values =
      Topics.REVOCATIONS.valueSerde().deserializer();
  private final PartitionProgress progress = new PartitionProgress();
  private final GrowingAssignment partitions;
  private final Backoff backoff;
  private volatile long lag = -1;
  private long nextRecheckNanos;
  private Thread thread;

  private KafkaRevocationSource(RevocationSettings settings, RevocationStore store) {
    super(settings, store);
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.backoff = new Backoff(settings.reconnectBackoffMin(), settings.reconnectBackoffMax());
    this.partitions =
        new GrowingAssignment(
            consumer, List.of(settings.topic()), settings.partitionRecheck(), METADATA_TIMEOUT);
  }

  /**
   * Starts following; settings must have been checked ({@code problemsForKafka()} empty). Consumer
   * properties Kafka refuses, and a store that cannot be opened, are an {@link
   * InvalidSettingsException}. The store starts empty ({@link RevocationStore#open}): the topic is
   * read from the beginning.
   */
  public static KafkaRevocationSource start(RevocationSettings settings) {
    RevocationStore store = RevocationStore.open(settings);
    KafkaRevocationSource source;
    try {
      source = new KafkaRevocationSource(settings, store);
    } catch (KafkaException e) {
      store.close();
      throw new InvalidSettingsException(
          List.of("consumerConfig is not accepted by Kafka: " + e.getMessage()));
    }
    source.thread = source.startThread(source::run);
    return source;
  }

  /**
   * The consumer configuration: ours first, then the caller's extra properties (TLS, SASL) on top.
   */
  static Map<String, Object> consumerConfig(RevocationSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(
        ConsumerConfig.CLIENT_ID_CONFIG, settings.clientName() + "-" + INSTANCES.incrementAndGet());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Compaction may remove the first offsets while we are down: start again from whatever is left.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Notices are ~100 bytes: bigger fetches make the bootstrap of millions of them a few round
    // trips.
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
    // partitionsFor() answers from cached metadata: refresh it as often as we look for new
    // partitions.
    config.put(
        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
        String.valueOf(settings.partitionRecheck().toMillis()));
    config.putAll(settings.consumerConfig());
    return config;
  }

  private void run() {
    try {
      while (!isClosing()) {
        try {
          if (System.nanoTime() - nextRecheckNanos >= 0) {
            recheckPartitions();
          }
          if (consumer.assignment().isEmpty()) {
            pause(backoff.next());
            continue;
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
          for (ConsumerRecord<byte[], byte[]> record : records) {
            applyRecord(record);
          }
          if (!records.isEmpty()) {
            contact();
          }
          updateProgress();
        } catch (WakeupException | InterruptException e) {
          break;
        } catch (RuntimeException e) {
          // Retriable or not, the source must outlive it: report, wait, try again.
          error("cannot read " + settings.topic(), e);
          pause(backoff.next());
        }
      }
    } finally {
      Thread.interrupted();
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * Assigns partitions not yet assigned (the topic may have grown) and refreshes the end offsets.
   */
  private void recheckPartitions() {
    Set<TopicPartition> added = partitions.recheck();
    Set<TopicPartition> all = consumer.assignment();
    if (all.isEmpty()) {
      error("topic " + settings.topic() + " not found", null);
      nextRecheckNanos = System.nanoTime() + backoff.next().toNanos();
      return;
    }
    if (!added.isEmpty()) {
      consumer.seekToBeginning(added);
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(all, METADATA_TIMEOUT);
    ends.forEach(
        (tp, end) -> {
          if (added.contains(tp) && !isCaughtUp()) {
            progress.target(tp, end);
          } else {
            progress.end(tp, end);
          }
        });
    contact();
    backoff.reset();
    nextRecheckNanos = System.nanoTime() + settings.partitionRecheck().toNanos();
  }

  private void applyRecord(ConsumerRecord<byte[], byte[]> record) {
    LedgerKey key;
    try {
      key =
          LedgerKey.parse(
              record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      skip(record.topic() + "-" + record.partition() + "@" + record.offset(), e);
      return;
    }
    if (record.value() == null) {
      forget(key.tenant(), key.tokenId());
      return;
    }
    RevocationNotice notice;
    try {
      notice = values.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      skip(record.topic() + "-" + record.partition() + "@" + record.offset(), e);
      return;
    }
    // The key names the compacted slot a later tombstone will clear, so it wins over the body.
    apply(
        new Revocation(
            key.tenant(),
            key.tokenId(),
            notice.getRevokedAt(),
            notice.getRevocationCause(),
            notice.getExpiresAt()));
  }

  private void updateProgress() {
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong partitionLag = consumer.currentLag(tp);
      if (partitionLag.isPresent()) {
        progress.lag(tp, partitionLag.getAsLong());
      }
      try {
        progress.position(tp, consumer.position(tp, POSITION_TIMEOUT));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // The position is not known yet (offset reset pending): not caught up on this round.
      }
    }
    lag = progress.totalLag();
    if (!isCaughtUp() && progress.reachedTargets()) {
      markCaughtUp();
    }
  }

  @Override
  public long lag() {
    return lag;
  }

  @Override
  public void close() {
    signalClose();
    consumer.wakeup();
    awaitStop(thread);
  }
}

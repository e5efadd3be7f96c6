package dev.ledger.api.ssf.internal;

import dev.ledger.schemas.kafka.Membership;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which streams this API instance is the transmitter of, when several run: every instance joins the
 * consumer group {@value #GROUP} on {@code ledger.ssf.streams}, and a stream belongs to the
 * instance assigned the partition its configuration is kept in. Only that instance pushes the
 * stream's SETs and changes its status on its own (inactivity); polls work at any instance.
 *
 * <p>An instance that stops leaves the group, so its partitions move at once; one that dies keeps
 * them until its session times out. Nothing is read from the assigned partitions (they are paused):
 * the assignment alone is the point. The listener runs on this class's thread and is called before
 * a partition moves away, so the instance can finish what it is sending first: Kafka hands the
 * partition to another instance only once the callback returned.
 */
final class StreamOwnership implements AutoCloseable {
  /** The consumer group whose assignment decides the owners. */
  static final String GROUP = "ledger.ssf.transmitters";

  private static final Logger LOG = LoggerFactory.getLogger(StreamOwnership.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Runnable onChange;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  private StreamOwnership(
      Map<String, Object> kafka, String topic, Duration sessionTimeout, Runnable onChange) {
    this.topic = topic;
    this.onChange = onChange;
    Map<String, Object> c =
        Membership.consumerConfig(kafka, GROUP, "ledger-ssf-owner", sessionTimeout);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().daemon().name("ledger-ssf-owner").unstarted(this::run);
  }

  /**
   * Joins the group and follows its assignment.
   *
   * @param topic {@code ledger.ssf.streams}
   * @param sessionTimeout how long a dead instance keeps its streams
   * @param onChange called (on the group's thread) whenever partitions came or are about to go
   */
  static StreamOwnership start(
      Map<String, Object> kafka, String topic, Duration sessionTimeout, Runnable onChange) {
    StreamOwnership ownership = new StreamOwnership(kafka, topic, sessionTimeout, onChange);
    ownership.thread.start();
    return ownership;
  }

  /**
   * @return whether this instance is the transmitter of the streams kept in {@code partition}
   */
  boolean owns(int partition) {
    return owned.contains(partition);
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              consumer.pause(partitions);
              partitions.forEach(p -> owned.add(p.partition()));
              changed();
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              partitions.forEach(p -> owned.remove(p.partition()));
              changed();
            }
          });
      while (!closed) {
        try {
          consumer.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          return;
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.warn("following the group {} failed, retrying: {}", GROUP, e.toString());
            Pause.of(Pause.AFTER_ERROR);
          }
        }
      }
    } finally {
      // Leaving the group revokes what this instance owns (the listener runs once more).
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer of {}: {}", GROUP, e.toString());
      }
      owned.clear();
    }
  }

  private void changed() {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      LOG.warn(
          "following a change of the streams this instance transmits failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

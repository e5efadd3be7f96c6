package dev.ledger.schemas.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer's manual assignment that follows its topics as partitions are added, for the readers
 * that keep their own positions (the indexer in its Lucene commit, the notary in its log's state, a
 * resource server's revocation store) and so use no consumer group that would tell them.
 *
 * <p>Call {@link #recheckIfDue()} from the consumer's own thread, between polls: when {@code every}
 * has passed since the last look it lists the topics' partitions and assigns those not yet
 * assigned, keeping the positions of the others, and returns the new ones, for the caller to seek
 * to its stored position or the beginning. A partition count only grows in Kafka, so nothing is
 * ever unassigned. Set the consumer's {@code metadata.max.age.ms} no longer than {@code every}:
 * {@code partitionsFor} answers from cached metadata.
 *
 * <p>Not thread-safe, like the consumer it drives.
 */
public final class GrowingAssignment {

  private final Consumer<?, ?> consumer;
  private final List<String> topics;
  private final Duration every;
  private final Duration timeout;
  private long nextNanos = System.nanoTime();

  /**
   * @param consumer the consumer to assign, never null
   * @param topics the topics to read, not empty
   * @param every how often to look for added partitions (positive)
   * @param timeout how long one look may wait for the broker's metadata (positive)
   */
  public GrowingAssignment(
      Consumer<?, ?> consumer, List<String> topics, Duration every, Duration timeout) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topics = List.copyOf(topics);
    this.every = Objects.requireNonNull(every, "every");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (this.topics.isEmpty() || every.isNegative() || every.isZero() || !timeout.isPositive()) {
      throw new IllegalArgumentException(
          "a growing assignment needs topics and a positive interval and timeout");
    }
  }

  /**
   * Looks for added partitions if the interval has passed since the last look (at once the first
   * time); returns the partitions it just assigned, empty when none.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not say which
   *     partitions exist within the timeout; the next call tries again
   */
  public Set<TopicPartition> recheckIfDue() {
    if (System.nanoTime() - nextNanos < 0) {
      return Set.of();
    }
    return recheck();
  }

  /** Looks for added partitions now; returns the partitions it just assigned, empty when none. */
  public Set<TopicPartition> recheck() {
    Set<TopicPartition> all = new HashSet<>(consumer.assignment());
    Set<TopicPartition> added = new HashSet<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
        TopicPartition tp = new TopicPartition(info.topic(), info.partition());
        if (all.add(tp)) {
          added.add(tp);
        }
      }
    }
    nextNanos = System.nanoTime() + every.toNanos();
    if (!added.isEmpty()) {
      // assign() keeps the positions of the partitions that stay assigned.
      consumer.assign(all);
    }
    return added;
  }
}

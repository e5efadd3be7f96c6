package dev.ledger.revocation.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the Kafka source has read, per partition: the end offsets captured when each partition
 * was first seen (the bootstrap targets), the latest known end offsets and positions, hence the
 * lag. Bootstrap is complete when every position has reached its target. Used by one thread.
 */
final class PartitionProgress {

  private final Map<TopicPartition, Long> targets = new HashMap<>();
  private final Map<TopicPartition, Long> ends = new HashMap<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Map<TopicPartition, Long> lags = new HashMap<>();

  /** The bootstrap target of a newly seen partition; a target once set is kept. */
  void target(TopicPartition tp, long endOffset) {
    targets.putIfAbsent(tp, endOffset);
    end(tp, endOffset);
  }

  /** The latest end offset (last stable offset under read_committed). */
  void end(TopicPartition tp, long endOffset) {
    ends.merge(tp, endOffset, Math::max);
    lags.remove(tp);
  }

  void position(TopicPartition tp, long position) {
    positions.put(tp, position);
  }

  /** The consumer's own lag of the partition, fresher than {@link #end} when it knows it. */
  void lag(TopicPartition tp, long lag) {
    lags.put(tp, lag);
  }

  /**
   * Whether every partition has reached its bootstrap target; false before any partition is known.
   */
  boolean reachedTargets() {
    if (targets.isEmpty()) {
      return false;
    }
    for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
      Long position = positions.get(t.getKey());
      if (position == null || position < t.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Records waiting in all partitions, or -1 before any partition is known. */
  long totalLag() {
    if (ends.isEmpty()) {
      return -1;
    }
    long total = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      Long lag = lags.get(e.getKey());
      if (lag == null) {
        lag = Math.max(0, e.getValue() - positions.getOrDefault(e.getKey(), 0L));
      }
      total += lag;
    }
    return total;
  }
}

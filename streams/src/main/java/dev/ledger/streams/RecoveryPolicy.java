package dev.ledger.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the stream processor recovers from dying stream threads. A thread that dies is replaced after
 * a backoff that doubles with each death in the window; after {@code replacementsPerWindow} deaths
 * within {@code window} the whole Kafka Streams client is shut down and started again once Kafka
 * answers, after a backoff that doubles with each consecutive restart up to {@code maxBackoff}. A
 * client that has run for {@code healthyAfter} starts over with the shortest backoffs. So a broken
 * cluster (a lost quorum, every broker down) costs retries at a slowing pace, never the process.
 *
 * @param replacementsPerWindow thread replacements tolerated within {@code window} before a restart
 * @param window the span over which thread deaths count
 * @param firstBackoff wait before the first replacement and the first restart
 * @param maxBackoff longest wait before a replacement or a restart
 * @param healthyAfter how long a client must run for its restarts to be forgotten
 */
public record RecoveryPolicy(
    int replacementsPerWindow,
    Duration window,
    Duration firstBackoff,
    Duration maxBackoff,
    Duration healthyAfter) {

  /** Three replacements a minute; backoffs from 1 s to 1 min; healthy after 5 minutes. */
  public static final RecoveryPolicy DEFAULT =
      new RecoveryPolicy(
          3,
          Duration.ofMinutes(1),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5));

  /** Validates every field at once, listing each problem. */
  public RecoveryPolicy {
    List<String> problems = new ArrayList<>();
    if (replacementsPerWindow < 0) {
      problems.add("replacementsPerWindow must be >= 0, was " + replacementsPerWindow);
    }
    for (var d :
        List.of(
            new Object[] {"window", window},
            new Object[] {"firstBackoff", firstBackoff},
            new Object[] {"maxBackoff", maxBackoff},
            new Object[] {"healthyAfter", healthyAfter})) {
      if (d[1] == null || ((Duration) d[1]).isNegative()) {
        problems.add(d[0] + " must be >= 0");
      }
    }
    if (problems.isEmpty() && maxBackoff.compareTo(firstBackoff) < 0) {
      problems.add("maxBackoff must be >= firstBackoff");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid recovery policy: " + String.join("; ", problems));
    }
  }

  /** {@code firstBackoff} doubled {@code n} times, at most {@code maxBackoff}. */
  Duration backoff(int n) {
    Duration d = firstBackoff;
    for (int i = 0; i < n && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}

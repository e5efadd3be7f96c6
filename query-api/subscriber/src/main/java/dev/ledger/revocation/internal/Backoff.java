package dev.ledger.revocation.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for reconnects: starts at {@code min}, doubles up to {@code max},
 * back to {@code min} after {@link #reset()}. The jitter (up to a fifth either way) keeps hundreds
 * of resource servers from reconnecting in step after a server restart. Not thread-safe.
 */
final class Backoff {

  private final long minNanos;
  private final long maxNanos;
  private long current;

  Backoff(Duration min, Duration max) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.current = minNanos;
  }

  /** The next wait; each call doubles the one after. */
  Duration next() {
    long base = current;
    current = Math.min(maxNanos, current * 2);
    long jitter = base / 5;
    long wait =
        base + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
    return Duration.ofNanos(Math.min(maxNanos, Math.max(minNanos, wait)));
  }

  /** Jumps to the longest wait (for failures that will not heal quickly, such as 401). */
  void toMax() {
    current = maxNanos;
  }

  void reset() {
    current = minNanos;
  }
}

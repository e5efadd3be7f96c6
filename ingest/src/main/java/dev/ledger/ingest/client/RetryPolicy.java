package dev.ledger.ingest.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How {@link LedgerClient} retries a batch that failed for a reason that may pass (Kafka or the API
 * unavailable, 429, 5xx, network): exponential backoff with full jitter. Retries resend the same
 * events, with the same {@code event_id}s, so the ledger counts each event once.
 *
 * @param maxAttempts attempts in all, at least 1 (1 = no retry)
 * @param initialBackoff the longest wait before the first retry
 * @param maxBackoff the cap of any wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  /** 5 attempts, waits up to 200 ms, 400 ms, 800 ms, 1.6 s (capped at 5 s). */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /** No retries. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The wait before attempt {@code attempt + 1} (attempt counts from 1), at least {@code floor}.
   */
  public Duration backoff(int attempt, Duration floor) {
    long ceiling =
        Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
    long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    return Duration.ofMillis(Math.max(jittered, Math.min(floor.toMillis(), maxBackoff.toMillis())));
  }
}

package dev.ledger.api.ssf.internal;

import java.time.Duration;

/** A pause of a background loop that keeps a thread's interrupt for the loop to see. */
final class Pause {
  /** The wait of a background loop after a Kafka error before it tries again. */
  static final Duration AFTER_ERROR = Duration.ofSeconds(1);

  private Pause() {}

  /** Sleeps {@code d}; an interrupt ends the pause early and stays set on the thread. */
  static void of(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.ledger.index;

import java.time.Instant;
import java.util.Objects;

/**
 * A question's point in time (CONTRACT.md section 4, v1.8): valid time {@code at}, and optionally
 * record time {@code knownAt}. Only events that occurred at or before {@code at} count, and with
 * {@code knownAt} only those the ledger had recorded by then, so that "what was true at 14:02" and
 * "what we knew of it at 14:05" are two questions.
 *
 * @param at valid time (event time), never null
 * @param knownAt record time, or null for everything recorded so far
 */
public record PointInTime(Instant at, Instant knownAt) {

  public PointInTime {
    Objects.requireNonNull(at, "at");
  }

  /** Valid time {@code at}, as known now. */
  public static PointInTime at(Instant at) {
    return new PointInTime(at, null);
  }

  /** Epoch millis of {@link #at()}. */
  public long atMillis() {
    return at.toEpochMilli();
  }

  /** Epoch millis of {@link #knownAt()}, or {@link Long#MAX_VALUE} when it is not given. */
  public long knownAtMillis() {
    return knownAt == null ? Long.MAX_VALUE : knownAt.toEpochMilli();
  }

  /**
   * True when an event that occurred at {@code occurredAt} and was recorded at {@code recordedAt}
   * counts.
   */
  public boolean counts(Instant occurredAt, Instant recordedAt) {
    return !occurredAt.isAfter(at)
        && (knownAt == null || recordedAt == null || !recordedAt.isAfter(knownAt));
  }
}

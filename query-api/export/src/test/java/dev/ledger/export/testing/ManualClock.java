package dev.ledger.export.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told (or by a fixed step on every read), for commit times. */
public final class ManualClock extends Clock {

  private final AtomicLong millis;
  private final long step;

  /** Starts at {@code start}; every read advances it by {@code stepMillis}. */
  public ManualClock(Instant start, long stepMillis) {
    this.millis = new AtomicLong(start.toEpochMilli());
    this.step = stepMillis;
  }

  public void advance(long ms) {
    millis.addAndGet(ms);
  }

  @Override
  public long millis() {
    return millis.getAndAdd(step);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

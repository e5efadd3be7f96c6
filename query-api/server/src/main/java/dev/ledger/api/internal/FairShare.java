package dev.ledger.api.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slots of one shared resource (ingest permits, revocation streams, long responses), limited in
 * total and per holder (a credential), so that one credential can never take every slot and starve
 * the others. Thread-safe.
 */
public final class FairShare {
  private final String what;
  private final int total;
  private final int perHolder;
  private final AtomicInteger used = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> byHolder = new ConcurrentHashMap<>();

  /**
   * @param what what a slot is, plural, for the 429 message ("event batches in flight")
   * @param total slots in all
   * @param perHolder slots one holder may have at once
   */
  public FairShare(String what, int total, int perHolder) {
    this.what = what;
    this.total = total;
    this.perHolder = perHolder;
  }

  /** A claimed slot; closing gives it back (more than once is harmless). */
  public final class Lease implements AutoCloseable {
    private final String holder;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Lease(String holder) {
      this.holder = holder;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        byHolder.computeIfPresent(holder, (k, n) -> n == 1 ? null : n - 1);
        used.decrementAndGet();
      }
    }
  }

  /**
   * Claims a slot for {@code holder}.
   *
   * @throws ApiError 429 naming the limit reached, this holder's or the total
   */
  public Lease acquire(String holder) {
    if (used.incrementAndGet() > total) {
      used.decrementAndGet();
      throw ApiError.tooManyRequests(
          "too many " + what + " (at most " + total + " in all); retry shortly");
    }
    boolean[] granted = {false};
    byHolder.compute(
        holder,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= perHolder) {
            return n;
          }
          granted[0] = true;
          return held + 1;
        });
    if (!granted[0]) {
      used.decrementAndGet();
      throw ApiError.tooManyRequests(
          "too many "
              + what
              + " for this credential (at most "
              + perHolder
              + "); retry when one has ended");
    }
    return new Lease(holder);
  }

  /**
   * @return slots in use
   */
  public int inUse() {
    return used.get();
  }
}

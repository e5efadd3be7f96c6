package dev.ledger.bench.harness;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Open-loop arrivals, as wrk2 sends them: requests are due at a fixed rate whatever the answers do,
 * and each latency is counted from the time the request was <em>due</em>, not from when a client
 * got round to sending it. A server that stalls for a second therefore shows a second of latency
 * for every request due in that second (a closed loop would record one slow call and stop asking:
 * coordinated omission).
 *
 * <p>Request {@code i} is due at {@code start + i / rate}. {@code clients} threads take the due
 * requests in order; when all are busy, due requests wait, and that wait is part of their latency.
 */
public final class OpenLoop {

  private OpenLoop() {}

  /** When request {@code i} is due, in nanoseconds after the start, at {@code ratePerSecond}. */
  static long dueNanos(long i, double ratePerSecond) {
    return (long) (i * 1e9 / ratePerSecond);
  }

  /**
   * Sends {@code ratePerSecond} requests a second for {@code warmup} (not recorded) plus {@code
   * duration}, from {@code clients} clients made by {@code factory}.
   */
  public static ClosedLoop.Result run(
      double ratePerSecond,
      int clients,
      Duration warmup,
      Duration duration,
      IntFunction<ClosedLoop.Client> factory)
      throws InterruptedException {
    if (ratePerSecond <= 0 || clients < 1) {
      throw new IllegalArgumentException("rate > 0 and clients >= 1");
    }
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    return Tally.run(
        "bench-open",
        clients,
        2_000,
        duration,
        factory,
        (client, random, tally) -> {
          while (true) {
            long due = start + dueNanos(next.getAndIncrement(), ratePerSecond);
            if (due >= end) {
              return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            tally.call(client, random, due, after -> due >= measureFrom);
          }
        });
  }
}

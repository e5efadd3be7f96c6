package dev.ledger.bench.harness;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Background work at a fixed rate on a thread of its own, until closed: a {@link ClosedLoop.Client}
 * called {@code perSecond} times a second (catching up after a slow call, never faster on average).
 * For "the same background load" beside a latency measurement.
 */
public final class Paced implements AutoCloseable {

  private final Thread thread;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * Starts calling {@code client} (which this closes) {@code perSecond} times a second; 0 calls
   * nothing.
   */
  public Paced(String name, int perSecond, ClosedLoop.Client client) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .start(
                () -> {
                  SplittableRandom random = new SplittableRandom(3_000);
                  try (client) {
                    long start = System.nanoTime();
                    while (!closed && perSecond > 0) {
                      long due = OpenLoop.dueNanos(calls.get() + errors.get(), perSecond);
                      long wait = start + due - System.nanoTime();
                      if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        continue;
                      }
                      try {
                        if (client.call(random)) {
                          calls.incrementAndGet();
                        } else {
                          errors.incrementAndGet();
                        }
                      } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (Exception e) {
                    firstError.compareAndSet(null, "client failed: " + e);
                  }
                });
  }

  /** Successful calls so far. */
  public long calls() {
    return calls.get();
  }

  /** Failed calls so far, and the first failure, for the raw section. */
  public String errors() {
    return errors.get() + (firstError.get() == null ? "" : " (first: " + firstError.get() + ")");
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(15_000);
  }
}

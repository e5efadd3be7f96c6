package dev.ledger.bench.harness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples another process's resident set size (VmRSS) every 200 ms on a thread of its own, so a
 * benchmark can report the largest value seen under load as well as the last.
 */
public final class RssSampler implements AutoCloseable {

  private final long pid;
  private final AtomicLong max = new AtomicLong(-1);
  private final Thread thread;
  private volatile boolean closed;

  /** Starts sampling process {@code pid}. */
  public RssSampler(long pid) {
    this.pid = pid;
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("rss-sampler")
            .start(
                () -> {
                  while (!closed) {
                    sample();
                    try {
                      Thread.sleep(200);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** Takes a sample now and returns it (bytes, -1 when unreadable). */
  public long sample() {
    long rss = ProcStat.residentBytes(pid);
    max.accumulateAndGet(rss, Math::max);
    return rss;
  }

  /** The largest sample so far, in bytes. */
  public long max() {
    return max.get();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}

package dev.ledger.bench.harness;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples another process's resident set size (VmRSS) every 200 ms on a thread of its own, so a
 * benchmark can report the largest value seen under load as well as the last.
 */
public final class RssSampler implements AutoCloseable {

  private final long pid;
  private final AtomicReference<ProcStat.Resident> atMax =
      new AtomicReference<>(ProcStat.Resident.UNKNOWN);
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
    ProcStat.Resident rss = ProcStat.resident(pid);
    atMax.accumulateAndGet(rss, (a, b) -> b.total() > a.total() ? b : a);
    return rss.total();
  }

  /** The largest sample so far, in bytes. */
  public long max() {
    return atMax.get().total();
  }

  /**
   * The largest sample so far with its parts: how much of it was mapped files (Lucene's segments),
   * which the kernel can drop, and how much the process's own memory.
   */
  public ProcStat.Resident maxWithParts() {
    return atMax.get();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}

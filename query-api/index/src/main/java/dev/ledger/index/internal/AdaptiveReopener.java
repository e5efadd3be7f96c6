package dev.ledger.index.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.SearcherManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens the near-real-time searcher on a schedule that follows the write load, and at once for
 * a waiter.
 *
 * <p>A reopen flushes every document buffered since the last one into a new segment; its cost
 * grows with the write rate, and many tiny segments cost merges later. So the interval after a
 * reopen is {@value #COST_FACTOR} times what that reopen took, bounded by [min, max]: an idle
 * index is reopened every {@code min} (25 ms by default, a no-op when nothing changed), a busy one
 * every {@code max} (500 ms), and reopens stay under ~1/{@value #COST_FACTOR} of one core.
 *
 * <p>{@link #waitForGeneration} (revocation notices, tests) skips the wait: the reopen starts at
 * once. The generations are {@link IndexWriter}'s sequence numbers, as with Lucene's
 * {@code ControlledRealTimeReopenThread}, which this replaces for its fixed interval.
 */
public final class AdaptiveReopener implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(AdaptiveReopener.class);
  /** Interval = this many times the duration of the last reopen. */
  static final int COST_FACTOR = 20;

  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final long minNanos;
  private final long maxNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Condition reopened = lock.newCondition();
  private final Thread thread;
  /** Guarded by {@link #lock}: the highest generation a caller waits for. */
  private long waitingGen;
  private volatile long searchingGen;
  private volatile long intervalNanos;
  private volatile boolean closed;

  /** Starts the reopen thread ({@code name}); {@code max} below {@code min} is taken as {@code min}. */
  public AdaptiveReopener(IndexWriter writer, SearcherManager searchers, Duration min, Duration max, String name) {
    this.writer = writer;
    this.searchers = searchers;
    this.minNanos = min.toNanos();
    this.maxNanos = Math.max(minNanos, max.toNanos());
    this.intervalNanos = minNanos;
    this.searchingGen = writer.getMaxCompletedSequenceNumber();
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The interval before the next scheduled reopen (for status and tests). */
  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * Blocks until everything written up to generation {@code gen} is searchable, starting a reopen
   * at once; false after {@code maxMillis} or once closed.
   */
  public boolean waitForGeneration(long gen, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    lock.lock();
    try {
      if (gen > waitingGen) {
        waitingGen = gen;
        wake.signal();
      }
      while (searchingGen < gen) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return false;
        }
        reopened.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      wake.signal();
      reopened.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (awaitTurn()) {
      long gen = writer.getMaxCompletedSequenceNumber();
      long start = System.nanoTime();
      try {
        searchers.maybeRefreshBlocking();
      } catch (IOException | RuntimeException e) {
        // The writer is closing or failed; the next turn (or close) decides. Waiters time out.
        log.warn("near-real-time reopen failed: {}", e.toString());
        if (!pause()) {
          return;
        }
        continue;
      }
      long took = System.nanoTime() - start;
      intervalNanos = next(took, minNanos, maxNanos);
      lock.lock();
      try {
        searchingGen = gen;
        reopened.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The interval after a reopen that took {@code tookNanos}. */
  static long next(long tookNanos, long minNanos, long maxNanos) {
    return Math.clamp(tookNanos * COST_FACTOR, minNanos, maxNanos);
  }

  /** After a failed reopen: waits the longest interval (or until closed) instead of retrying at once. */
  private boolean pause() {
    lock.lock();
    try {
      long left = maxNanos;
      while (!closed && left > 0) {
        left = wake.awaitNanos(left);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the next reopen: the interval, or less when someone waits for a generation; false once closed. */
  private boolean awaitTurn() {
    lock.lock();
    try {
      long deadline = System.nanoTime() + intervalNanos;
      while (!closed && waitingGen <= searchingGen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wake.awaitNanos(left);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }
}

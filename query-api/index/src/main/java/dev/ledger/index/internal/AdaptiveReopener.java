package dev.ledger.index.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.SearcherManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens the near-real-time searcher on a schedule that follows the write load, and at once for a
 * waiter.
 *
 * <p>A reopen flushes every document buffered since the last one into a new small segment, and each
 * has a fixed cost (a flush, a new reader, more segments to merge later). Under heavy writes fewer,
 * larger reopens cost less per document. So the interval grows with the write rate (measured over
 * the last {@code max} or more): {@code min} plus 100 µs per write per second, bounded by {@code
 * max}. With the defaults: 25 ms idle (and no-op reopens when nothing changed), 125 ms at 1,000
 * writes/s, 325 ms at 3,000/s, 500 ms from 4,750/s. A rate rather than the measured cost of a
 * reopen, because on a shared machine that cost is mostly time waiting for a core. At 4,000 audit
 * documents a second, 100 µs instead of 25 µs took the index's CPU per document down by a third,
 * merges and reopens included; 250 µs did no better (BENCHMARKS.md, "The index's merges and reopens
 * under load").
 *
 * <p>{@link #waitForGeneration} (revocation notices, tests) skips the wait: the reopen starts at
 * once. The generations are {@link IndexWriter}'s sequence numbers, as with Lucene's {@code
 * ControlledRealTimeReopenThread}, which this replaces for its fixed interval.
 */
public final class AdaptiveReopener implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(AdaptiveReopener.class);

  /** What the interval grows by per write per second (see the class comment for why 100 µs). */
  static final long NANOS_PER_WRITE_PER_SECOND = 100_000;

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

  /** Guarded by {@link #lock}: reopens failed so far; a waiter returns when it grows. */
  private long failedReopens;

  /** The error of the last reopen when it failed, null once one succeeded. */
  private volatile Exception failure;

  private volatile long searchingGen;
  private volatile long intervalNanos;
  private volatile boolean closed;
  private final LongAdder forced = new LongAdder();

  /**
   * Starts the reopen thread ({@code name}); {@code max} below {@code min} is taken as {@code min}.
   */
  public AdaptiveReopener(
      IndexWriter writer, SearcherManager searchers, Duration min, Duration max, String name) {
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
   * Reopens started at once for a waiter rather than on the schedule: each flushes whatever was
   * buffered into one more small segment, so an index that must stay cheap to write counts them.
   */
  public long forcedReopens() {
    return forced.sum();
  }

  /**
   * Blocks until everything written up to generation {@code gen} is searchable, starting a reopen
   * at once; false after {@code maxMillis}, once closed, or as soon as a reopen fails (see {@link
   * #failure()}: a write error, such as a full disk, would otherwise keep the caller waiting in
   * vain).
   */
  public boolean waitForGeneration(long gen, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    lock.lock();
    try {
      long failedBefore = failedReopens;
      if (gen > waitingGen) {
        waitingGen = gen;
        wake.signal();
      }
      while (searchingGen < gen) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed || failedReopens != failedBefore) {
          return false;
        }
        reopened.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The error of the last reopen if it failed (the writer failed or closed, for one on a full
   * disk), null once a reopen succeeded.
   */
  public Exception failure() {
    return failure;
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
    // The rate is measured over a window of at least max: a reopen forced right after another
    // (a waiter) must not read one write in a millisecond as a thousand per second.
    long windowGen = searchingGen;
    long windowAt = System.nanoTime();
    while (await(intervalNanos, true)) {
      if (waiterAhead()) {
        forced.increment();
      }
      long gen;
      long at = System.nanoTime();
      try {
        // Inside the try: a write error (a full disk) closes the writer, and reading its sequence
        // number then throws too; that is a failed reopen, not the end of this thread.
        gen = writer.getMaxCompletedSequenceNumber();
        searchers.maybeRefreshBlocking();
      } catch (IOException | RuntimeException e) {
        // The writer is closing or failed; the next turn (or close) decides. Waiters are told.
        log.warn("near-real-time reopen failed: {}", e.toString());
        failure = e;
        lock.lock();
        try {
          failedReopens++;
          reopened.signalAll();
        } finally {
          lock.unlock();
        }
        if (!await(maxNanos, false)) {
          return;
        }
        continue;
      }
      long elapsed = at - windowAt;
      intervalNanos = next(gen - windowGen, Math.max(elapsed, maxNanos), minNanos, maxNanos);
      if (elapsed >= maxNanos) {
        windowGen = gen;
        windowAt = at;
      }
      failure = null;
      lock.lock();
      try {
        searchingGen = gen;
        reopened.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean waiterAhead() {
    lock.lock();
    try {
      return waitingGen > searchingGen;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The interval after {@code writes} (sequence numbers) in {@code elapsedNanos} since the previous
   * reopen.
   */
  static long next(long writes, long elapsedNanos, long minNanos, long maxNanos) {
    double perSecond = Math.max(0, writes) * 1e9 / Math.max(1, elapsedNanos);
    return (long) Math.clamp(minNanos + perSecond * NANOS_PER_WRITE_PER_SECOND, minNanos, maxNanos);
  }

  /**
   * Waits {@code nanos}, or less when someone waits for a generation and {@code waiterWakes} (after
   * a failed reopen the full wait, not a retry at once); false once closed.
   */
  private boolean await(long nanos, boolean waiterWakes) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + nanos;
      while (!closed && !(waiterWakes && waitingGen > searchingGen)) {
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

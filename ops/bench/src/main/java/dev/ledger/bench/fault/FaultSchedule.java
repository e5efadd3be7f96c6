package dev.ledger.bench.fault;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * When the campaign's faults happen: seeded points counted in events the ledger has <em>processed
 * </em> (not sent), so they spread over the whole processing however far ahead the producer runs.
 * Counting sent events put every fault in the first part of the run, since the producer sends far
 * faster than the ledger processes. Not thread-safe.
 *
 * <pre>{@code
 * FaultSchedule s = FaultSchedule.seeded(1_000_000, 20, new SplittableRandom(1));
 * long processed = s.awaitDue(progress, Duration.ofMinutes(30), Duration.ofMillis(500));
 * s.take();
 * }</pre>
 */
final class FaultSchedule {

  private final TreeSet<Long> points;
  private final int planned;

  private FaultSchedule(TreeSet<Long> points) {
    this.points = points;
    this.planned = points.size();
  }

  /** {@code faults} distinct points in {@code [0, events)}, uniformly at random. */
  static FaultSchedule seeded(long events, int faults, SplittableRandom random) {
    TreeSet<Long> points = new TreeSet<>();
    while (points.size() < Math.min(faults, events)) {
      points.add(random.nextLong(events));
    }
    return new FaultSchedule(points);
  }

  /** Every point, in order (the ones already taken included only until taken). */
  List<Long> remaining() {
    return List.copyOf(points);
  }

  int planned() {
    return planned;
  }

  boolean hasNext() {
    return !points.isEmpty();
  }

  /** The next point; only when {@link #hasNext()}. */
  long next() {
    return points.first();
  }

  /** Whether the next fault is due once {@code processed} events have been processed. */
  boolean due(long processed) {
    return hasNext() && processed > points.first();
  }

  /** Removes the next point (its fault happened) and returns it. */
  long take() {
    return points.pollFirst();
  }

  /**
   * Reads {@code processed} every {@code every} until the next fault is due and returns the reading
   * that made it due.
   *
   * @throws TimeoutException when the ledger has not processed that far within {@code timeout}
   */
  long awaitDue(LongSupplier processed, Duration timeout, Duration every)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long now = processed.getAsLong();
      if (due(now)) {
        return now;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "the ledger processed "
                + now
                + " events in "
                + timeout.toSeconds()
                + " s, short of the next fault point "
                + next());
      }
      Thread.sleep(every.toMillis());
    }
  }
}

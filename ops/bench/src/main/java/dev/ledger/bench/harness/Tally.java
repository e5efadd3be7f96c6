package dev.ledger.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;
import org.HdrHistogram.Recorder;

/**
 * What the calls of one run came to, shared by {@link ClosedLoop} and {@link OpenLoop}: the latency
 * of every successful call in one HdrHistogram, failures counted (never hidden) with the first
 * one's message. It also runs the client threads, which differ only in when they call.
 */
final class Tally {

  /** One client's loop: calls {@link #call} until its run is over. */
  interface Loop {
    void run(ClosedLoop.Client client, SplittableRandom random, Tally tally) throws Exception;
  }

  private final Recorder recorder = new Recorder(Latency.HIGHEST_NANOS, 3);
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  private Tally() {}

  /**
   * Runs {@code clients} threads, each with a client from {@code factory} (closed at the end) and
   * its own seeded random, through {@code loop}; the result covers {@code measured}.
   */
  static ClosedLoop.Result run(
      String name,
      int clients,
      long seed,
      Duration measured,
      IntFunction<ClosedLoop.Client> factory,
      Loop loop)
      throws InterruptedException {
    Tally tally = new Tally();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int number = c;
      threads.add(
          Thread.ofPlatform()
              .name(name + "-" + c)
              .start(
                  () -> {
                    try (ClosedLoop.Client client = factory.apply(number)) {
                      loop.run(client, new SplittableRandom(seed + number), tally);
                    } catch (Exception e) {
                      tally.fail("client failed: " + e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new ClosedLoop.Result(
        Latency.of(tally.recorder.getIntervalHistogram()),
        tally.errors.get(),
        measured.toNanos() / 1e9,
        tally.firstError.get());
  }

  /**
   * Calls {@code client} once and, when {@code recorded} holds for the time the call ended, records
   * its latency counted from {@code from} (or counts its failure). Returns when it ended.
   */
  long call(ClosedLoop.Client client, SplittableRandom random, long from, LongPredicate recorded) {
    boolean ok;
    String error = null;
    try {
      ok = client.call(random);
    } catch (Exception e) {
      ok = false;
      error = e.toString();
    }
    long after = System.nanoTime();
    if (recorded.test(after)) {
      if (ok) {
        recorder.recordValue(Math.min(after - from, Latency.HIGHEST_NANOS));
      } else {
        fail(error == null ? "call answered false" : error);
      }
    }
    return after;
  }

  private void fail(String message) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, message);
  }
}

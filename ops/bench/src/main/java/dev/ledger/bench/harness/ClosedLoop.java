package dev.ledger.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Concurrent clients in a closed loop, as wrk runs them: each client sends its next request as
 * soon as the previous answer arrived, for a warm-up (not recorded) and then a measured period;
 * calls that end in the measured period are recorded.
 * Every call's latency goes into one HdrHistogram; errors are counted, never hidden.
 */
public final class ClosedLoop {

  /** One client's work: a single request. A client is used by one thread only. */
  public interface Client extends AutoCloseable {
    /** Sends one request; false (or an exception) counts as an error. */
    boolean call(SplittableRandom random) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /**
   * What the clients achieved in the measured period.
   *
   * @param latency latency of successful calls
   * @param errors failed calls
   * @param seconds length of the measured period
   * @param firstError the first failure's message, or null
   */
  public record Result(Latency latency, long errors, double seconds, String firstError) {
    public double callsPerSecond() {
      return latency.count() / seconds;
    }

    public String raw() {
      return latency.raw() + String.format(Locale.ROOT, " errors=%d rate=%.0f/s", errors, callsPerSecond())
          + (firstError == null ? "" : " first-error=" + firstError);
    }
  }

  private ClosedLoop() {}

  /**
   * Runs {@code clients} clients made by {@code factory} (given the client number) for
   * {@code warmup} plus {@code duration}.
   */
  public static Result run(int clients, Duration warmup, Duration duration, IntFunction<Client> factory)
      throws InterruptedException {
    Recorder recorder = new Recorder(Latency.HIGHEST_NANOS, 3);
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int number = c;
      threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
        SplittableRandom random = new SplittableRandom(1_000 + number);
        try (Client client = factory.apply(number)) {
          long now = System.nanoTime();
          while (now < end) {
            boolean ok;
            String error = null;
            try {
              ok = client.call(random);
            } catch (Exception e) {
              ok = false;
              error = e.toString();
            }
            long after = System.nanoTime();
            // A call counts when it ends in the measured period, so one slower than the whole
            // period is still reported with its real latency rather than vanishing.
            if (after >= measureFrom) {
              if (ok) {
                recorder.recordValue(Math.min(after - now, Latency.HIGHEST_NANOS));
              } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, error == null ? "call answered false" : error);
              }
            }
            now = after;
          }
        } catch (Exception e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, "client failed: " + e);
        }
      }));
    }
    recorder.getIntervalHistogram(); // drop nothing recorded yet; warm-up calls are never recorded
    for (Thread t : threads) {
      t.join();
    }
    Histogram h = recorder.getIntervalHistogram();
    return new Result(Latency.of(h), errors.get(), duration.toNanos() / 1e9, firstError.get());
  }
}

package dev.ledger.bench.harness;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Concurrent clients in a closed loop, as wrk runs them: each client sends its next request as soon
 * as the previous answer arrived, for a warm-up (not recorded) and then a measured period; calls
 * that end in the measured period are recorded. Every call's latency goes into one HdrHistogram;
 * errors are counted, never hidden.
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
      return latency.raw()
          + String.format(Locale.ROOT, " errors=%d rate=%.0f/s", errors, callsPerSecond())
          + (firstError == null ? "" : " first-error=" + firstError);
    }
  }

  private ClosedLoop() {}

  /**
   * Runs {@code clients} clients made by {@code factory} (given the client number) for {@code
   * warmup} plus {@code duration}.
   */
  public static Result run(
      int clients, Duration warmup, Duration duration, IntFunction<Client> factory)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    return Tally.run(
        "bench-client",
        clients,
        1_000,
        duration,
        factory,
        (client, random, tally) -> {
          long now = System.nanoTime();
          while (now < end) {
            // A call counts when it ends in the measured period, so one slower than the whole
            // period is still reported with its real latency rather than vanishing.
            now = tally.call(client, random, now, after -> after >= measureFrom);
          }
        });
  }
}

package dev.ledger.bench.harness;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency distribution, in milliseconds.
 *
 * @param count how many samples
 * @param p50 median, ms
 * @param p99 99th percentile, ms
 * @param max largest sample, ms
 * @param mean mean, ms
 */
public record Latency(long count, double p50, double p99, double max, double mean) {

  /** Highest latency a histogram tracks: one hour, far above anything a run waits for. */
  static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

  /** A histogram of nanoseconds with 3 significant digits, as every benchmark records. */
  public static Histogram histogram() {
    return new Histogram(HIGHEST_NANOS, 3);
  }

  /** The percentiles of a histogram of nanoseconds. */
  public static Latency of(Histogram nanos) {
    return new Latency(
        nanos.getTotalCount(),
        ms(nanos.getValueAtPercentile(50)),
        ms(nanos.getValueAtPercentile(99)),
        ms(nanos.getMaxValue()),
        nanos.getTotalCount() == 0 ? 0 : nanos.getMean() / 1e6);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** {@code p50 / p99 / max} in ms, e.g. {@code 3.1 / 12 / 40 ms}. */
  public String summary() {
    return count == 0
        ? "no samples"
        : Format.ms(p50) + " / " + Format.ms(p99) + " / " + Format.ms(max) + " ms";
  }

  /** The raw numbers, for the report's raw section. */
  public String raw() {
    return String.format(
        Locale.ROOT,
        "n=%d p50=%.3fms p99=%.3fms max=%.3fms mean=%.3fms",
        count,
        p50,
        p99,
        max,
        mean);
  }
}

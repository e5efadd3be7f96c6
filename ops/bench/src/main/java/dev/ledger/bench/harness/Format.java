package dev.ledger.bench.harness;

import java.util.Locale;

/**
 * Number formatting shared by the table printer and the report: few digits, no locale surprises.
 */
public final class Format {

  private Format() {}

  /** Milliseconds with 2 significant-ish digits: 0.42, 3.1, 27, 1250. */
  public static String ms(double ms) {
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  /** A rate or count with thousands separators: 12,345. */
  public static String count(double n) {
    return String.format(Locale.ROOT, "%,.0f", n);
  }

  /** A ratio with two decimals: 0.31x. */
  public static String ratio(double r) {
    if (Double.isNaN(r) || Double.isInfinite(r)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
  }

  /** A duration in seconds, with decimals only when it has them: 20 s, 0.25 s. */
  public static String seconds(java.time.Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString()
        + " s";
  }

  /** Bytes as MB with one decimal. */
  public static String mb(double bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}

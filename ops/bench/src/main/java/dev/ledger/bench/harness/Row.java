package dev.ledger.bench.harness;

/**
 * One line of a result table: a workload measured on the ledger and on what a user would run
 * instead, with the target it is judged against. Cells are already formatted; empty means "not
 * measured here".
 *
 * @param workload what was measured, e.g. {@code cascade revocation, 10,000 descendants}
 * @param ledger the ledger's number
 * @param baseline the comparison's number (Kafka's ceiling, PostgreSQL), or empty
 * @param ratio ledger against baseline, written so that above 1 means the ledger wins, or empty
 * @param target the published target, or empty
 * @param verdict {@code met}, {@code MISSED by ...}, or empty when there is no target
 */
public record Row(
    String workload, String ledger, String baseline, String ratio, String target, String verdict) {

  public Row {
    workload = orEmpty(workload);
    ledger = orEmpty(ledger);
    baseline = orEmpty(baseline);
    ratio = orEmpty(ratio);
    target = orEmpty(target);
    verdict = orEmpty(verdict);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** A verdict for "lower is better": met, or missed by how much. */
  public static String atMost(double value, double limit, String unit) {
    return value <= limit
        ? "met"
        : "MISSED by "
            + Format.ms(value - limit)
            + " "
            + unit
            + " ("
            + Format.ratio(value / limit)
            + " the target)";
  }

  /** A verdict for "higher is better". */
  public static String atLeast(double value, double limit) {
    return value >= limit ? "met" : "MISSED: " + Format.ratio(value / limit) + " of the target";
  }
}

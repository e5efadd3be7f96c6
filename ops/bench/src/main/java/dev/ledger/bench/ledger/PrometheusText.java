package dev.ledger.bench.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the few numbers the bench needs from Prometheus text (the ledger's {@code GET /metrics}).
 * Each sample is summed under its metric name, and under the name with each one of its labels
 * ({@link #key}), so a counter can be looked up by one label whatever other labels it carries.
 */
final class PrometheusText {

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {}

  /** The lookup key of metric {@code name} with label {@code label} = {@code value}. */
  static String key(String name, String label, String value) {
    return name + "|" + label + "=" + value;
  }

  /**
   * Sums of every sample by name and by (name, one label); comments and malformed lines are
   * skipped.
   */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int close = line.lastIndexOf('}');
      String name;
      String labels;
      String rest;
      if (brace >= 0 && close > brace) {
        name = line.substring(0, brace);
        labels = line.substring(brace + 1, close);
        rest = line.substring(close + 1).trim();
      } else {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        name = line.substring(0, space);
        labels = "";
        rest = line.substring(space + 1).trim();
      }
      double value;
      try {
        value = Double.parseDouble(rest.split("\\s+")[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      out.merge(name, value, Double::sum);
      Matcher m = LABEL.matcher(labels);
      while (m.find()) {
        out.merge(key(name, m.group(1), m.group(2)), value, Double::sum);
      }
    }
    return out;
  }
}

package dev.ledger.api.internal.routes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.config.NamingConvention;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prometheus text of a few metric families, computed from those meters alone.
 *
 * <p>Why not the registry's own filtered scrape: Micrometer's collectors do not name their families
 * up front, so the Prometheus registry evaluates every meter (a thousand Kafka client and RocksDB
 * gauges) before dropping the ones not asked for. A poller asking twice a second for the indexer's
 * progress then costs the ledger a tenth of its CPU under load. Here only the selected meters are
 * read; their names are the ones the registry's own exposition uses.
 *
 * <p>Counters, function counters, gauges and time gauges are written here; a selection that names a
 * family of any other kind (a timer, a summary) gets {@link Optional#empty()}, and the caller falls
 * back to the registry's scrape.
 */
final class MeterFamilies {
  private MeterFamilies() {}

  static Optional<String> text(MeterRegistry registry, Set<String> families) {
    NamingConvention names = registry.config().namingConvention();
    Map<String, List<String>> lines = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      String family = names.name(id.getName(), id.getType(), id.getBaseUnit());
      if (!families.contains(family)) {
        continue;
      }
      String type;
      String sample;
      double value;
      if (meter instanceof Counter c) {
        type = "counter";
        sample = family + "_total";
        value = c.count();
      } else if (meter instanceof FunctionCounter c) {
        type = "counter";
        sample = family + "_total";
        value = c.count();
      } else if (meter instanceof TimeGauge g) {
        type = "gauge";
        sample = family;
        value = g.value(g.baseTimeUnit());
      } else if (meter instanceof Gauge g) {
        type = "gauge";
        sample = family;
        value = g.value();
      } else {
        return Optional.empty();
      }
      types.putIfAbsent(family, type);
      lines
          .computeIfAbsent(family, f -> new ArrayList<>())
          .add(sample + labels(id, names) + " " + number(value));
    }
    StringBuilder out = new StringBuilder();
    types.forEach(
        (family, type) -> {
          out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
          lines.get(family).forEach(l -> out.append(l).append('\n'));
        });
    return Optional.of(out.toString());
  }

  private static String labels(Meter.Id id, NamingConvention names) {
    List<Tag> tags = id.getConventionTags(names);
    if (tags.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("{");
    for (Tag tag : tags) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(tag.getKey()).append("=\"").append(escape(tag.getValue())).append('"');
    }
    return out.append('}').toString();
  }

  /** The text format's label value escapes: backslash, double quote and line feed. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }
}

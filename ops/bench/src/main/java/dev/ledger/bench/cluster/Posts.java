package dev.ledger.bench.cluster;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What {@code POST /v1/events} answered in each phase of a cluster run, counted in events: how many
 * got each status, and which API instances refused (503) in that phase.
 *
 * @param events per phase, events per HTTP status (0: no answer)
 * @param refusedBy per phase, the instances (0-based) that answered 503
 */
record Posts(Map<Phase, Map<Integer, Long>> events, Map<Phase, Set<Integer>> refusedBy) {

  /** The phases of the broker outage, in order. */
  enum Phase {
    LOAD("before the second broker stopped"),
    STOPPING("while the second broker stopped"),
    DOWN("two brokers of three down"),
    RESTARTING("while both restarted"),
    AFTER("after both were back");

    final String text;

    Phase(String text) {
      this.text = text;
    }
  }

  Posts {
    events = Collections.unmodifiableMap(new EnumMap<>(events));
    refusedBy = Collections.unmodifiableMap(new EnumMap<>(refusedBy));
  }

  /** Events that got {@code status} in {@code phase}. */
  long count(Phase phase, int status) {
    return events.getOrDefault(phase, Map.of()).getOrDefault(status, 0L);
  }

  /** Events of {@code phase} that got any status but {@code status}. */
  long otherThan(Phase phase, int status) {
    return events.getOrDefault(phase, Map.of()).entrySet().stream()
        .filter(e -> e.getKey() != status)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Events that got a status other than 202 or 503 in any phase. */
  long unexpected() {
    return events.values().stream()
        .flatMap(m -> m.entrySet().stream())
        .filter(e -> e.getKey() != 202 && e.getKey() != 503)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** One line per phase that saw a post: {@code phase: 202 x, 503 y (refused by ...)}. */
  String toText() {
    StringBuilder out = new StringBuilder();
    for (Phase p : Phase.values()) {
      Map<Integer, Long> m = events.get(p);
      if (m == null || m.isEmpty()) {
        continue;
      }
      out.append(String.format(Locale.ROOT, "    %-34s ", p.text + ":"));
      out.append(
          new TreeMap<>(m)
              .entrySet().stream()
                  .map(e -> String.format(Locale.ROOT, "%d x %,d", e.getKey(), e.getValue()))
                  .collect(Collectors.joining(", ")));
      Set<Integer> refused = refusedBy.getOrDefault(p, Set.of());
      if (!refused.isEmpty()) {
        out.append(
            refused.stream()
                .map(i -> "api-" + (i + 1))
                .collect(Collectors.joining(", ", " (503 from ", ")")));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Collects the answers while a run goes on; not thread-safe. */
  static final class Builder {
    private final Map<Phase, Map<Integer, Long>> events = new EnumMap<>(Phase.class);
    private final Map<Phase, Set<Integer>> refusedBy = new EnumMap<>(Phase.class);

    void add(Phase phase, SplitPoster.Posted posted) {
      events
          .computeIfAbsent(phase, p -> new TreeMap<>())
          .merge(posted.status(), (long) posted.lines().size(), Long::sum);
      if (posted.status() == 503) {
        refusedBy.computeIfAbsent(phase, p -> new TreeSet<>()).add(posted.instance());
      }
    }

    /** The instances that answered 503 in {@code phase} so far. */
    Set<Integer> refusedBy(Phase phase) {
      return refusedBy.getOrDefault(phase, Set.of());
    }

    Posts build() {
      Map<Phase, Map<Integer, Long>> e = new EnumMap<>(Phase.class);
      events.forEach((k, v) -> e.put(k, Map.copyOf(v)));
      Map<Phase, Set<Integer>> r = new EnumMap<>(Phase.class);
      // Sorted, so that the text and the checks name the instances in order.
      refusedBy.forEach((k, v) -> r.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
      return new Posts(e, r);
    }
  }
}

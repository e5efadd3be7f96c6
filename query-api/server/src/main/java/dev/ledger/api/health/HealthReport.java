package dev.ledger.api.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one part and what explains it ({@code lag}, {@code error}, ...), written into the
 * health answer next to {@code status}.
 *
 * @param state not null
 * @param detail JSON-writable values (strings, numbers, booleans, lists, maps), never null (copied,
 *     order kept)
 */
public record HealthReport(State state, Map<String, Object> detail) {
  /**
   * The states of CONTRACT.md's {@code /health}, from best to worst (the worst check decides the
   * answer).
   */
  public enum State {
    UP,
    STARTING,
    /**
     * Serving, but a part cannot write (a full disk, say) and retries by itself: answers come from
     * what was written before, and nothing new is added until it recovers.
     */
    DEGRADED,
    DOWN
  }

  public HealthReport {
    Objects.requireNonNull(state, "state");
    detail =
        detail == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }

  /**
   * @return an UP report with no detail
   */
  public static HealthReport up() {
    return new HealthReport(State.UP, Map.of());
  }

  /**
   * @return a report of {@code state} with the given detail
   */
  public static HealthReport of(State state, Map<String, Object> detail) {
    return new HealthReport(state, detail);
  }
}

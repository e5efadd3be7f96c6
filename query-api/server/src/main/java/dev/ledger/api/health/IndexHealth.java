package dev.ledger.api.health;

import dev.ledger.index.Indexer;
import dev.ledger.index.IndexerStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Health of the indexer: UP when it runs and its lag behind the output topics is at most {@code
 * maxLag} records, STARTING while it starts or catches up, DEGRADED while writes to the index fail
 * (a full disk: searches answer from what was indexed, it retries by itself), DOWN when it failed
 * or was closed. Detail: {@code state}, {@code lag} (and {@code lag_by_topic}, once measured),
 * {@code documents_indexed} and {@code last_error} when there is one.
 */
public final class IndexHealth implements HealthCheck {
  /** Lag, in records, under which a running indexer counts as caught up. */
  public static final long DEFAULT_MAX_LAG = 1000;

  private final Indexer indexer;
  private final long maxLag;

  /**
   * @param indexer not null
   */
  public IndexHealth(Indexer indexer) {
    this(indexer, DEFAULT_MAX_LAG);
  }

  /**
   * @param indexer not null
   * @param maxLag largest lag still reported UP, not negative
   */
  public IndexHealth(Indexer indexer, long maxLag) {
    this.indexer = Objects.requireNonNull(indexer, "indexer");
    if (maxLag < 0) {
      throw new IllegalArgumentException("maxLag must not be negative, was " + maxLag);
    }
    this.maxLag = maxLag;
  }

  @Override
  public String name() {
    return "index";
  }

  @Override
  public HealthReport check() {
    return report(indexer.status(), maxLag);
  }

  /**
   * The verdict on one status; separate so that every state can be tested without a running
   * indexer.
   */
  static HealthReport report(IndexerStatus status, long maxLag) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
    detail.put("lag", status.lag());
    if (!status.lagByTopic().isEmpty()) {
      detail.put("lag_by_topic", status.lagByTopic());
    }
    detail.put("documents_indexed", status.documentsIndexed());
    if (status.lastError() != null) {
      detail.put("last_error", status.lastError());
    }
    HealthReport.State state =
        switch (status.state()) {
          case RUNNING ->
              status.lag() <= maxLag ? HealthReport.State.UP : HealthReport.State.STARTING;
          case STARTING -> HealthReport.State.STARTING;
          case DEGRADED -> HealthReport.State.DEGRADED;
          case FAILED, CLOSED -> HealthReport.State.DOWN;
        };
    if (state == HealthReport.State.STARTING && status.state() == IndexerStatus.State.RUNNING) {
      detail.put("reason", "catching up: lag " + status.lag() + " > " + maxLag);
    }
    if (state == HealthReport.State.DEGRADED) {
      detail.put(
          "reason",
          "index writes fail (last_error); searches answer from what was indexed before, and the"
              + " indexer retries from its last commit until a write succeeds");
    }
    return HealthReport.of(state, detail);
  }
}

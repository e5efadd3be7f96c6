package dev.ledger.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.health.HealthReport.State;
import dev.ledger.index.IndexerStatus;
import org.junit.jupiter.api.Test;

class IndexHealthTest {
  @Test
  void runningAndCaughtUpIsUp() {
    HealthReport report =
        IndexHealth.report(new IndexerStatus(IndexerStatus.State.RUNNING, 1000, null, 5), 1000);
    assertThat(report.state()).isEqualTo(State.UP);
    assertThat(report.detail())
        .containsEntry("lag", 1000L)
        .containsEntry("state", "running")
        .doesNotContainKey("last_error");
  }

  @Test
  void eachTopicsLagIsShownOnceMeasured() {
    HealthReport report =
        IndexHealth.report(
            new IndexerStatus(
                IndexerStatus.State.RUNNING,
                7,
                null,
                5,
                java.util.Map.of("ledger.audit", 0L, "ledger.tokens", 7L)),
            1000);
    assertThat(report.detail())
        .containsEntry("lag", 7L)
        .containsEntry("lag_by_topic", java.util.Map.of("ledger.audit", 0L, "ledger.tokens", 7L));
    assertThat(
            IndexHealth.report(new IndexerStatus(IndexerStatus.State.RUNNING, -1, null, 0), 1000)
                .detail())
        .as("not measured yet")
        .doesNotContainKey("lag_by_topic");
  }

  @Test
  void runningButBehindIsStarting() {
    HealthReport report =
        IndexHealth.report(new IndexerStatus(IndexerStatus.State.RUNNING, 1001, null, 5), 1000);
    assertThat(report.state()).isEqualTo(State.STARTING);
    assertThat(report.detail()).containsKey("reason");
  }

  @Test
  void startingIsStartingAndFailedOrClosedIsDown() {
    assertThat(
            IndexHealth.report(new IndexerStatus(IndexerStatus.State.STARTING, 0, null, 0), 10)
                .state())
        .isEqualTo(State.STARTING);
    HealthReport failed =
        IndexHealth.report(new IndexerStatus(IndexerStatus.State.FAILED, 0, "disk full", 0), 10);
    assertThat(failed.state()).isEqualTo(State.DOWN);
    assertThat(failed.detail()).containsEntry("last_error", "disk full");
    assertThat(
            IndexHealth.report(new IndexerStatus(IndexerStatus.State.CLOSED, 0, null, 0), 10)
                .state())
        .isEqualTo(State.DOWN);
  }

  @Test
  void failingWritesAreDegradedWithTheirReason() {
    HealthReport degraded =
        IndexHealth.report(
            new IndexerStatus(
                IndexerStatus.State.DEGRADED,
                0,
                "index write failed: java.io.IOException: No space left on device",
                7),
            10);
    assertThat(degraded.state()).isEqualTo(State.DEGRADED);
    assertThat(degraded.detail())
        .containsEntry("state", "degraded")
        .containsEntry(
            "last_error", "index write failed: java.io.IOException: No space left on device");
    assertThat((String) degraded.detail().get("reason")).contains("retries");
  }
}

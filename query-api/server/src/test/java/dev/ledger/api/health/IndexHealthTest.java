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
}

package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

  private final PartitionProgress progress = new PartitionProgress();
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);

  @Test
  void notCaughtUpBeforeAnyPartitionIsKnown() {
    assertThat(progress.reachedTargets()).isFalse();
    assertThat(progress.totalLag()).isEqualTo(-1);
  }

  @Test
  void caughtUpWhenEveryPositionReachesTheEndSeenFirst() {
    progress.target(p0, 10);
    progress.target(p1, 0);
    assertThat(progress.totalLag()).isEqualTo(10);
    progress.position(p1, 0);
    assertThat(progress.reachedTargets()).isFalse();
    progress.position(p0, 9);
    assertThat(progress.reachedTargets()).isFalse();
    assertThat(progress.totalLag()).isEqualTo(1);
    // Records written after start move the end, not the bootstrap target.
    progress.target(p0, 50);
    progress.position(p0, 10);
    assertThat(progress.reachedTargets()).isTrue();
  }

  @Test
  void lagPrefersTheConsumersOwnFigureUntilANewEndIsFetched() {
    progress.target(p0, 100);
    progress.position(p0, 40);
    progress.lag(p0, 75);
    assertThat(progress.totalLag()).isEqualTo(75);
    progress.end(p0, 120);
    assertThat(progress.totalLag()).isEqualTo(80);
    progress.end(p0, 90); // a stale answer never moves the end back
    assertThat(progress.totalLag()).isEqualTo(80);
  }
}

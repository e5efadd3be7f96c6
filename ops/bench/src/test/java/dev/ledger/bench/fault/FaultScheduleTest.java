package dev.ledger.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  @Test
  void seededPointsAreDistinctInRangeAndSpreadOverTheWholeRun() {
    FaultSchedule s = FaultSchedule.seeded(1_000_000, 20, new SplittableRandom(1));

    List<Long> points = s.remaining();
    assertThat(points).hasSize(20).isSorted().allMatch(p -> p >= 0 && p < 1_000_000);
    assertThat(points).doesNotHaveDuplicates();
    // Uniform over the run, not bunched at its start: some in each half.
    assertThat(points.getFirst()).isLessThan(500_000);
    assertThat(points.getLast()).isGreaterThan(500_000);
    assertThat(FaultSchedule.seeded(1_000_000, 20, new SplittableRandom(1)).remaining())
        .isEqualTo(points);
  }

  @Test
  void noMorePointsThanEvents() {
    assertThat(FaultSchedule.seeded(3, 10, new SplittableRandom(2)).remaining())
        .containsExactly(0L, 1L, 2L);
  }

  @Test
  void aFaultIsDueOnlyOnceTheLedgerHasProcessedPastItsPointHoweverManyWereSent() throws Exception {
    FaultSchedule s = FaultSchedule.seeded(10_000, 3, new SplittableRandom(3));
    List<Long> points = s.remaining();
    // The producer has sent everything; the ledger processes 100 events between two readings.
    AtomicLong processed = new AtomicLong();
    List<Long> firedAt = new ArrayList<>();
    while (s.hasNext()) {
      long at = s.awaitDue(() -> processed.addAndGet(100), Duration.ofSeconds(10), Duration.ZERO);
      assertThat(s.due(at)).isTrue();
      assertThat(s.due(at - 100)).as("not due one reading earlier").isFalse();
      firedAt.add(at);
      s.take();
    }
    assertThat(firedAt).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(firedAt.get(i))
          .isGreaterThan(points.get(i))
          .isLessThanOrEqualTo(points.get(i) + 100);
    }
    assertThat(s.due(Long.MAX_VALUE)).as("nothing left").isFalse();
  }

  @Test
  void aLedgerThatStopsProcessingIsATimeoutNamingThePoint() {
    FaultSchedule s = FaultSchedule.seeded(10_000, 1, new SplittableRandom(4));
    long point = s.next();

    assertThatThrownBy(() -> s.awaitDue(() -> 0, Duration.ofMillis(50), Duration.ofMillis(10)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("processed 0 events")
        .hasMessageContaining("next fault point " + point);
  }
}

package dev.ledger.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void overallCountsFromTheLoadsStartAndPeakIsTheBusiestTenSeconds() {
    List<Long> times = new ArrayList<>();
    // 10 records a second for 20 s, then a burst of 500 within one second, then 10 more a second.
    for (int i = 0; i < 200; i++) {
      times.add(i * SECOND / 10);
    }
    for (int i = 0; i < 500; i++) {
      times.add(20 * SECOND + i * SECOND / 500);
    }
    for (int i = 0; i < 100; i++) {
      times.add(21 * SECOND + i * SECOND / 10);
    }
    FailoverReport.Throughput t = FailoverReport.Throughput.of(times, 0);
    assertThat(t.overall()).isCloseTo(800 / 30.9, within(0.01));
    // The best window holds the burst and 10 s of the slower records around it.
    assertThat(t.peak()).isCloseTo((500 + 100 + 1) / 10.0, within(1.0));
  }

  @Test
  void noRecordsIsNoThroughput() {
    assertThat(FailoverReport.Throughput.of(List.of(), 0))
        .isEqualTo(new FailoverReport.Throughput(0, 0));
  }
}

package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

  @Test
  void recordsLatencyOfSuccessfulCallsAndCountsFailures() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ClosedLoop.Result r =
        ClosedLoop.run(
            2,
            Duration.ZERO,
            Duration.ofMillis(300),
            n ->
                random -> {
                  Thread.sleep(2);
                  return calls.incrementAndGet() % 10 != 0;
                });
    assertThat(r.latency().count()).isGreaterThan(20);
    assertThat(r.errors()).isGreaterThan(0);
    assertThat(r.latency().p50()).isGreaterThanOrEqualTo(2.0);
    assertThat(r.firstError()).isEqualTo("call answered false");
    assertThat(r.latency().count() + r.errors()).isLessThanOrEqualTo(calls.get());
  }

  @Test
  void warmUpCallsAreNotRecorded() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ClosedLoop.Result r =
        ClosedLoop.run(
            1,
            Duration.ofMillis(400),
            Duration.ofMillis(100),
            n ->
                random -> {
                  Thread.sleep(5);
                  calls.incrementAndGet();
                  return true;
                });
    assertThat(r.latency().count()).isPositive().isLessThan(calls.get());
  }

  @Test
  void aCallSlowerThanTheWholePeriodIsStillReported() throws Exception {
    ClosedLoop.Result r =
        ClosedLoop.run(
            1,
            Duration.ofMillis(50),
            Duration.ofMillis(50),
            n ->
                random -> {
                  Thread.sleep(300);
                  return true;
                });
    assertThat(r.latency().count()).isEqualTo(1);
    assertThat(r.latency().max()).isGreaterThanOrEqualTo(300.0);
  }
}

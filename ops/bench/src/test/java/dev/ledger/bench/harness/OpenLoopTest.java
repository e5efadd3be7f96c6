package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

  @Test
  void requestsAreDueAtAFixedRate() {
    assertThat(OpenLoop.dueNanos(0, 100)).isZero();
    assertThat(OpenLoop.dueNanos(1, 100)).isEqualTo(10_000_000L);
    assertThat(OpenLoop.dueNanos(250, 50)).isEqualTo(5_000_000_000L);
  }

  @Test
  void sendsTheStatedRateWhenTheServerKeepsUp() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ClosedLoop.Result r =
        OpenLoop.run(
            200,
            2,
            Duration.ZERO,
            Duration.ofMillis(500),
            n ->
                random -> {
                  calls.incrementAndGet();
                  return true;
                });
    assertThat(calls.get()).isBetween(99, 101);
    assertThat(r.latency().count()).isEqualTo(calls.get());
    // No bound on the latency itself: on a loaded machine a due request waits for a core, and this
    // is a test of the schedule, not of the machine (the next test shows queueing, which grows).
  }

  @Test
  void aSlowServerShowsTheQueueingThatAClosedLoopHides() throws Exception {
    // Each call takes 20 ms, one client, 100 requests/s due: the server can serve 50/s, so due
    // requests pile up and their latency grows far beyond the 20 ms a closed loop would report.
    ClosedLoop.Result open =
        OpenLoop.run(
            100,
            1,
            Duration.ZERO,
            Duration.ofMillis(600),
            n ->
                random -> {
                  Thread.sleep(20);
                  return true;
                });
    ClosedLoop.Result closed =
        ClosedLoop.run(
            1,
            Duration.ZERO,
            Duration.ofMillis(600),
            n ->
                random -> {
                  Thread.sleep(20);
                  return true;
                });
    // No absolute bound on the closed loop's latency: a loaded machine stretches a 20 ms sleep. The
    // open
    // loop's wait is structural (60 requests due in 600 ms, at most 30 served), so it dwarfs the
    // closed one's.
    assertThat(open.latency().count()).isEqualTo(60);
    assertThat(open.latency().max()).isGreaterThan(400.0);
    assertThat(open.latency().max()).isGreaterThan(4 * closed.latency().p50());
  }

  @Test
  void warmUpRequestsAreNotRecordedAndFailuresAreCounted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ClosedLoop.Result r =
        OpenLoop.run(
            100,
            1,
            Duration.ofMillis(200),
            Duration.ofMillis(200),
            n -> random -> calls.incrementAndGet() % 2 == 0);
    assertThat(calls.get()).isBetween(39, 41);
    assertThat(r.latency().count() + r.errors()).isEqualTo(20);
    assertThat(r.errors()).isBetween(9L, 11L);
  }
}

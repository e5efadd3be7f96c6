package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.streams.ThreadDeaths.Action;
import dev.ledger.streams.ThreadDeaths.Decision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The recovery policy: thread replacements with a growing backoff, then client restarts with a
 * growing backoff, forgotten once the client has run long enough.
 */
class ThreadDeathsTest {

  private static final RecoveryPolicy POLICY =
      new RecoveryPolicy(
          3,
          Duration.ofMinutes(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5));

  @Test
  void threadsAreReplacedWithADoublingBackoffThenTheClientRestarts() {
    ThreadDeaths deaths = new ThreadDeaths(POLICY);
    assertThat(deaths.onThreadDeath(0)).isEqualTo(replace(1));
    assertThat(deaths.onThreadDeath(1_000)).isEqualTo(replace(2));
    assertThat(deaths.onThreadDeath(2_000)).isEqualTo(replace(4));
    assertThat(deaths.onThreadDeath(3_000)).isEqualTo(restart(1));
    // The restarted client starts with a fresh count of thread deaths.
    assertThat(deaths.onThreadDeath(4_000)).isEqualTo(replace(1));
  }

  @Test
  void deathsOutsideTheWindowAreForgotten() {
    ThreadDeaths deaths = new ThreadDeaths(POLICY);
    deaths.onThreadDeath(0);
    deaths.onThreadDeath(10_000);
    deaths.onThreadDeath(20_000);
    // The first death is a minute old: two in the window, so one more replacement.
    assertThat(deaths.onThreadDeath(60_000)).isEqualTo(replace(4));
    assertThat(deaths.onThreadDeath(61_000).action()).isEqualTo(Action.RESTART_CLIENT);
  }

  @Test
  void restartsBackOffUpToTheMaximumWhileKafkaDoesNotAnswer() {
    ThreadDeaths deaths = new ThreadDeaths(POLICY);
    for (int i = 0; i < 3; i++) {
      deaths.onThreadDeath(i);
    }
    assertThat(deaths.onThreadDeath(3)).isEqualTo(restart(1));
    assertThat(deaths.onRestartFailed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(deaths.onRestartFailed()).isEqualTo(Duration.ofSeconds(4));
    assertThat(deaths.onRestartFailed()).isEqualTo(Duration.ofSeconds(8));
    assertThat(deaths.onRestartFailed()).isEqualTo(Duration.ofSeconds(10));
    assertThat(deaths.onRestartFailed()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aClientThatRanLongEnoughStartsOverWithTheShortestBackoff() {
    ThreadDeaths deaths = new ThreadDeaths(POLICY);
    for (int i = 0; i < 3; i++) {
      deaths.onThreadDeath(i);
    }
    deaths.onThreadDeath(3);
    deaths.onRestartFailed(); // a second restart was needed
    deaths.onRunning(10_000);
    for (int i = 0; i < 3; i++) {
      deaths.onThreadDeath(20_000 + i);
    }
    // Not healthy long enough: the next restart waits longer.
    assertThat(deaths.onThreadDeath(20_003)).isEqualTo(restart(4));

    deaths.onRunning(30_000);
    long later = 30_000 + Duration.ofMinutes(5).toMillis();
    for (int i = 0; i < 3; i++) {
      deaths.onThreadDeath(later + i);
    }
    assertThat(deaths.onThreadDeath(later + 3)).isEqualTo(restart(1));
  }

  @Test
  void aPolicyListsEveryProblem() {
    assertThatThrownBy(
            () ->
                new RecoveryPolicy(
                    -1, Duration.ofSeconds(-1), Duration.ofSeconds(1), null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replacementsPerWindow")
        .hasMessageContaining("window")
        .hasMessageContaining("maxBackoff");
  }

  private static Decision replace(long seconds) {
    return new Decision(Action.REPLACE_THREAD, Duration.ofSeconds(seconds));
  }

  private static Decision restart(long seconds) {
    return new Decision(Action.RESTART_CLIENT, Duration.ofSeconds(seconds));
  }
}

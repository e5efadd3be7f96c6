package dev.ledger.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What {@link RecoveryPolicy} decides for one Kafka Streams client over time: counts thread deaths
 * in the window and consecutive restarts. Thread-safe; times are milliseconds of any monotonic
 * clock.
 */
final class ThreadDeaths {

  /** What to do about a stream thread that died. */
  enum Action {
    /** Start a new stream thread in its place after the backoff. */
    REPLACE_THREAD,
    /** Shut the client down and start a new one after the backoff, once Kafka answers. */
    RESTART_CLIENT
  }

  /** An action and how long to wait before it. */
  record Decision(Action action, Duration backoff) {}

  private final RecoveryPolicy policy;
  private final Deque<Long> deaths = new ArrayDeque<>();
  private int restarts;
  private long runningSince = -1;

  ThreadDeaths(RecoveryPolicy policy) {
    this.policy = policy;
  }

  /** A stream thread died at {@code now}. */
  synchronized Decision onThreadDeath(long now) {
    forgetRestartsIfHealthy(now);
    while (!deaths.isEmpty() && deaths.peekFirst() <= now - policy.window().toMillis()) {
      deaths.pollFirst();
    }
    if (deaths.size() >= policy.replacementsPerWindow()) {
      deaths.clear();
      runningSince = -1;
      return new Decision(Action.RESTART_CLIENT, policy.backoff(restarts++));
    }
    Duration backoff = policy.backoff(deaths.size());
    deaths.addLast(now);
    return new Decision(Action.REPLACE_THREAD, backoff);
  }

  /**
   * A restart could not happen (Kafka did not answer): the wait before the next attempt, longer.
   */
  synchronized Duration onRestartFailed() {
    return policy.backoff(restarts++);
  }

  /** The client reached RUNNING at {@code now}. */
  synchronized void onRunning(long now) {
    if (runningSince < 0) {
      runningSince = now;
    }
  }

  private void forgetRestartsIfHealthy(long now) {
    if (runningSince >= 0 && now - runningSince >= policy.healthyAfter().toMillis()) {
      restarts = 0;
    }
  }

  /** Consecutive restarts so far (for tests and logs). */
  synchronized int restarts() {
    return restarts;
  }
}

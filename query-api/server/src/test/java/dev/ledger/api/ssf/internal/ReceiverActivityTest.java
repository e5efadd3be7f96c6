package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.AuditLogs.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverActivityTest {
  private static final Instant START = Instant.parse("2026-12-05T08:00:00Z");
  private final SettableClock clock = new SettableClock(START);
  private final ReceiverActivity activity =
      new ReceiverActivity(Duration.ofSeconds(10), Duration.ofHours(1), clock);

  @Test
  void aVerificationSoonerThanTheMinimumIntervalIsRefusedWithHowLongToWait() {
    assertThat(activity.verificationRequested("s1")).isEmpty();

    clock.set(START.plusSeconds(4));
    assertThat(activity.verificationRequested("s1")).contains(Duration.ofSeconds(6));
    // Another stream has its own interval.
    assertThat(activity.verificationRequested("s2")).isEmpty();
    // A refused request does not restart the interval.
    clock.set(START.plusSeconds(10));
    assertThat(activity.verificationRequested("s1")).isEmpty();
    clock.set(START.plusSeconds(19));
    assertThat(activity.verificationRequested("s1")).contains(Duration.ofSeconds(1));
    assertThat(activity.minVerificationIntervalSeconds()).isEqualTo(10);
  }

  @Test
  void withoutAMinimumIntervalEveryVerificationGoesAhead() {
    ReceiverActivity unlimited = new ReceiverActivity(Duration.ZERO, Duration.ZERO, clock);
    assertThat(unlimited.verificationRequested("s1")).isEmpty();
    assertThat(unlimited.verificationRequested("s1")).isEmpty();
    assertThat(unlimited.minVerificationIntervalSeconds()).isNull();
    assertThat(unlimited.inactivityTimeoutSeconds()).isNull();
    clock.set(START.plus(Duration.ofDays(400)));
    assertThat(unlimited.idle(List.of(stream("s1", "enabled", START)))).isEmpty();
  }

  @Test
  void anEnabledStreamWhoseReceiverIsSilentForTheTimeoutIsIdle() {
    StreamConfig quiet = stream("quiet", "enabled", START);
    StreamConfig busy = stream("busy", "enabled", START);
    StreamConfig paused = stream("paused", "paused", START);
    List<StreamConfig> all = List.of(quiet, busy, paused);

    clock.set(START.plusSeconds(3000));
    activity.touch("busy");
    assertThat(activity.idle(all)).isEmpty();

    clock.set(START.plusSeconds(3600));
    assertThat(activity.idle(all)).containsExactly(quiet);

    clock.set(START.plusSeconds(6600));
    assertThat(activity.idle(all)).containsExactly(quiet, busy);
    assertThat(activity.inactivityTimeoutSeconds()).isEqualTo(3600);
  }

  @Test
  void activityIsToldToOtherInstancesAtMostEveryQuarterOfTheTimeoutAndTheirsCounts() {
    List<String> published = new java.util.ArrayList<>();
    activity.publishTo((id, at) -> published.add(id + "@" + at));
    StreamConfig s = stream("s1", "enabled", START);

    activity.touch("s1");
    clock.set(START.plusSeconds(899));
    activity.touch("s1");
    clock.set(START.plusSeconds(900));
    activity.touch("s1");
    assertThat(published).containsExactly("s1@" + START, "s1@" + START.plusSeconds(900));

    // Another instance heard from the receiver later: this one does not judge it idle.
    activity.heard("s1", START.plusSeconds(3000));
    clock.set(START.plusSeconds(4500));
    assertThat(activity.idle(List.of(s))).isEmpty();
    // An older report changes nothing.
    activity.heard("s1", START.plusSeconds(100));
    clock.set(START.plusSeconds(6600));
    assertThat(activity.idle(List.of(s))).containsExactly(s);
  }

  @Test
  void inactivityCountsFromCreationOrFromThisInstancesStartWhicheverIsLater() {
    // Created long before this instance started: a restart does not pause it at once.
    StreamConfig old = stream("old", "enabled", START.minus(Duration.ofDays(90)));
    StreamConfig fresh = stream("fresh", "enabled", START.plusSeconds(1800));

    clock.set(START.plusSeconds(3599));
    assertThat(activity.idle(List.of(old, fresh))).isEmpty();
    clock.set(START.plusSeconds(3600));
    assertThat(activity.idle(List.of(old, fresh))).containsExactly(old);
    clock.set(START.plusSeconds(5400));
    assertThat(activity.idle(List.of(old, fresh))).containsExactly(old, fresh);

    activity.forget("old");
    activity.touch("fresh");
    assertThat(activity.idle(List.of(fresh))).isEmpty();
  }

  private static StreamConfig stream(String id, String status, Instant createdAt) {
    return StreamConfig.created(id, "acme", "key-1", createdAt).withStatus(status, null);
  }
}

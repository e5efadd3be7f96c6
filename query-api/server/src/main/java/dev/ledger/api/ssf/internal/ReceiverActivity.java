package dev.ledger.api.ssf.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * When each stream's receiver was last heard from, and when it last asked for a verification: the
 * two transmitter-supplied limits of SSF 1.0 section 8.1.1, {@code min_verification_interval} (a
 * verification request sooner than that after the previous one is answered 429) and {@code
 * inactivity_timeout} (a stream whose receiver shows no activity that long is paused).
 *
 * <p>Activity is any call of the stream's receiver (the credential that created it) that names the
 * stream, polls included, and every SET a push receiver accepts. With several API instances each
 * tells the others (through {@link #publishTo}, at most every quarter of the inactivity timeout per
 * stream), so the instance that transmits a stream judges its receiver by every instance's calls. A
 * stream's inactivity never counts from before the start of this instance, so a restart never
 * pauses a stream at once.
 */
public final class ReceiverActivity {
  private final Duration minVerificationInterval;
  private final Duration inactivityTimeout;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Instant> lastActivity = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastVerification = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastPublished = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, Instant> publisher;

  /**
   * @param minVerificationInterval zero for no limit
   * @param inactivityTimeout zero to never pause a stream for inactivity
   */
  public ReceiverActivity(
      Duration minVerificationInterval, Duration inactivityTimeout, Clock clock) {
    this.minVerificationInterval = minVerificationInterval;
    this.inactivityTimeout = inactivityTimeout;
    this.clock = clock;
    this.started = clock.instant();
  }

  /**
   * Where this instance tells the others of activity it saw (the stream store); none by default.
   */
  public void publishTo(BiConsumer<String, Instant> publisher) {
    this.publisher = publisher;
  }

  /** The stream's receiver did something. */
  public void touch(String streamId) {
    Instant now = clock.instant();
    lastActivity.merge(streamId, now, ReceiverActivity::max);
    BiConsumer<String, Instant> p = publisher;
    if (p == null || inactivityTimeout.isZero()) {
      return;
    }
    Duration every = inactivityTimeout.dividedBy(4);
    boolean[] due = {false};
    lastPublished.compute(
        streamId,
        (id, last) -> {
          if (last == null || !now.isBefore(last.plus(every))) {
            due[0] = true;
            return now;
          }
          return last;
        });
    if (due[0]) {
      p.accept(streamId, now);
    }
  }

  /** Another instance (or this one, earlier) heard from the stream's receiver at {@code at}. */
  public void heard(String streamId, Instant at) {
    lastActivity.merge(streamId, at, ReceiverActivity::max);
  }

  /**
   * Records a verification request of the stream's receiver, unless it comes too soon.
   *
   * @return empty when the request may go ahead (it is recorded); else how long until it may
   */
  public Optional<Duration> verificationRequested(String streamId) {
    Instant now = clock.instant();
    Duration[] wait = new Duration[1];
    lastVerification.compute(
        streamId,
        (id, last) -> {
          if (last != null && !minVerificationInterval.isZero()) {
            Instant allowed = last.plus(minVerificationInterval);
            if (now.isBefore(allowed)) {
              wait[0] = Duration.between(now, allowed);
              return last;
            }
          }
          return now;
        });
    return Optional.ofNullable(wait[0]);
  }

  /**
   * @return the enabled streams among {@code streams} whose receiver has not been heard from for
   *     the inactivity timeout (since it was created, or since this instance started when later)
   */
  public List<StreamConfig> idle(Collection<StreamConfig> streams) {
    if (inactivityTimeout.isZero()) {
      return List.of();
    }
    Instant cutoff = clock.instant().minus(inactivityTimeout);
    List<StreamConfig> idle = new ArrayList<>();
    for (StreamConfig s : streams) {
      if (!"enabled".equals(s.status())) {
        continue;
      }
      Instant last = lastActivity.getOrDefault(s.streamId(), Instant.MIN);
      Instant since = max(max(last, s.createdAt()), started);
      if (!since.isAfter(cutoff)) {
        idle.add(s);
      }
    }
    return idle;
  }

  /** Forgets a deleted stream. */
  public void forget(String streamId) {
    lastActivity.remove(streamId);
    lastVerification.remove(streamId);
    lastPublished.remove(streamId);
  }

  /**
   * @return the stream configuration's {@code min_verification_interval}, in seconds, or null when
   *     there is no limit
   */
  public Long minVerificationIntervalSeconds() {
    return minVerificationInterval.isZero() ? null : minVerificationInterval.toSeconds();
  }

  /**
   * @return the stream configuration's {@code inactivity_timeout}, in seconds, or null when streams
   *     are never paused for inactivity
   */
  public Long inactivityTimeoutSeconds() {
    return inactivityTimeout.isZero() ? null : inactivityTimeout.toSeconds();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}

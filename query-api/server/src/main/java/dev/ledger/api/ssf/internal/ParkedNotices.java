package dev.ledger.api.ssf.internal;

import dev.ledger.schemas.avro.RevocationNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One stream's notices whose SET cannot be made yet (the index has not yet seen the revoked token,
 * so its issuer and chain are unknown), retried on every fetch instead of holding up the stream.
 *
 * <p>Order: a parked notice holds back the later notices of the same cascade (same tenant and
 * revoked ancestor, so the same {@code txn}) and of the same token, so that a receiver gets one
 * cascade's SETs in the order the ledger emitted them (the named token first, then its descendants)
 * and never a token's later SET before its earlier one. Notices of other cascades overtake it: SSF
 * 1.0 and RFC 8935/8936 promise no order across SETs, and one unindexed token must not delay every
 * other revocation of the stream. After {@code maxWait} a notice is made with what is known (last
 * try), so nothing waits longer than that.
 *
 * <p>Not thread-safe: the owning {@link StreamCursor} holds its lock around every call.
 */
final class ParkedNotices {
  /** Makes a parked notice's SET; with {@code lastTry} it must not answer {@code NotYet}. */
  @FunctionalInterface
  interface Attempt {
    NoticeOutcome make(Parked parked, boolean lastTry);
  }

  /**
   * A notice waiting.
   *
   * @param jti its SET's id
   * @param partition where the notice is
   * @param offset its offset (kept open, so the stream's commit point stays at or before it)
   * @param notice the notice
   * @param since when it was first parked
   */
  record Parked(
      String jti, TopicPartition partition, long offset, RevocationNotice notice, Instant since) {}

  /**
   * A parked notice that is decided.
   *
   * @param parked the notice
   * @param outcome a SET or skip, never not-yet
   */
  record Resolved(Parked parked, NoticeOutcome outcome) {}

  private final Duration maxWait;
  private final Clock clock;
  private final LinkedHashMap<String, Parked> parked = new LinkedHashMap<>();

  ParkedNotices(Duration maxWait, Clock clock) {
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /**
   * @return whether a parked notice holds {@code notice} back (same cascade or same token): then it
   *     must be parked behind it, untried
   */
  boolean holdsBack(RevocationNotice notice) {
    Set<String> keys = keys(notice);
    for (Parked p : parked.values()) {
      if (!java.util.Collections.disjoint(keys, keys(p.notice()))) {
        return true;
      }
    }
    return false;
  }

  void park(String jti, TopicPartition partition, long offset, RevocationNotice notice) {
    parked.put(jti, new Parked(jti, partition, offset, notice, clock.instant()));
  }

  /**
   * Tries every parked notice again, oldest first; a notice still held back by an older one of its
   * cascade or token is not tried.
   *
   * @return the notices now decided, in the order they were parked
   */
  List<Resolved> retry(Attempt attempt) {
    List<Resolved> resolved = new ArrayList<>();
    Set<String> blocked = new HashSet<>();
    Instant now = clock.instant();
    for (Iterator<Parked> it = parked.values().iterator(); it.hasNext(); ) {
      Parked p = it.next();
      Set<String> keys = keys(p.notice());
      if (!java.util.Collections.disjoint(keys, blocked)) {
        continue;
      }
      boolean lastTry = !now.isBefore(p.since().plus(maxWait));
      NoticeOutcome outcome = attempt.make(p, lastTry);
      if (outcome instanceof NoticeOutcome.NotYet) {
        blocked.addAll(keys);
      } else {
        it.remove();
        resolved.add(new Resolved(p, outcome));
      }
    }
    return resolved;
  }

  /**
   * Drops the parked notices that {@code done} says are decided elsewhere (another instance
   * acknowledged their SETs).
   */
  void drop(java.util.function.Predicate<Parked> done) {
    parked.values().removeIf(done);
  }

  /**
   * Drops every parked notice (the stream was disabled).
   *
   * @return what was parked
   */
  List<Parked> clear() {
    List<Parked> all = List.copyOf(parked.values());
    parked.clear();
    return all;
  }

  int size() {
    return parked.size();
  }

  private static Set<String> keys(RevocationNotice n) {
    return Set.of(
        "cascade:" + n.getTenant() + "/" + n.getRevocationCause(),
        "token:" + n.getTenant() + "/" + n.getTokenId());
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ORPHAN side of the resolve loop: every event gets its audit record within the grace even when
 * its chain never completes. What may wait past the grace goes into the sweep's index ({@code
 * ledger-due}, {@link DueEntry}); once the grace is over, {@link #sweep} judges uses of tokens
 * never seen ({@code unknown_token}), audits without a chain what still waits on an unresolved
 * token, and sends ORPHAN to each child still waiting on a parent never seen. A token that gets
 * ORPHAN (or TOO_DEEP) audits itself and what waits on it without a chain and passes ORPHAN on to
 * its own waiting children. The link and the waiting events are flagged {@code audited}, so that
 * stage 2 does not audit them again if the ancestor turns up later.
 */
final class Orphans {

  private final KeyValueStore<String, TokenLink> links;
  private final KeyValueStore<String, String> waiters;
  private final KeyValueStore<String, Parked> parked;
  private final KeyValueStore<String, String> due;
  private final Duration grace;
  private final Outputs out;

  /**
   * @param links {@code ledger-links}
   * @param waiters {@code ledger-waiters}: {@link ChildKey}s of children waiting on a parent
   * @param parked {@code ledger-parked}: uses and revocations waiting on their token's root
   * @param due {@code ledger-due}: the sweep's index
   * @param grace how long what waits on a token never seen or unresolved waits before it is judged
   */
  Orphans(
      KeyValueStore<String, TokenLink> links,
      KeyValueStore<String, String> waiters,
      KeyValueStore<String, Parked> parked,
      KeyValueStore<String, String> due,
      Duration grace,
      Outputs out) {
    this.links = links;
    this.waiters = waiters;
    this.parked = parked;
    this.due = due;
    this.grace = grace;
    this.out = out;
  }

  /** When an entry put in the sweep's index now is due. */
  long dueAt() {
    return out.now() + grace.toMillis();
  }

  /** Makes the sweep look at {@code entry} once the grace is over. */
  void judgeLater(DueEntry entry) {
    due.put(entry.encode(), "");
  }

  /** Never seen, or already known not to resolve (an audited orphan, a refused cycle). */
  static boolean notResolving(TokenLink link) {
    return link == null || link.audited() || link.state() == TokenLink.State.CYCLIC;
  }

  /**
   * Once the grace is over: judges uses of tokens never seen ({@code unknown_token}), audits
   * without a chain what still waits on an unresolved token (its definition, its uses and
   * revocations), and tells children still waiting on a parent never seen that they are orphans.
   */
  void sweep(long now) {
    for (String dueKey : LedgerStores.dueBefore(due, now, Integer.MAX_VALUE)) {
      due.delete(dueKey);
      DueEntry entry = DueEntry.parse(dueKey);
      TokenLink link = links.get(entry.token());
      if (link != null && link.state() == TokenLink.State.RESOLVED) {
        continue; // resolved within the grace: stage 2 audits it
      }
      switch (entry) {
        case DueEntry.WaitingChild child -> {
          if (waiters.get(new ChildKey(child.token(), child.childId()).encode()) != null) {
            out.resolve(
                LedgerStores.sameTenant(child.token(), child.childId()), LoopMessage.orphan());
          }
        }
        case DueEntry.ParkedEvent event -> {
          String parkedKey = new EventKey(event.token(), event.eventId()).encode();
          Parked waiting = parked.get(parkedKey);
          if (waiting != null) {
            auditWaiting(event.token(), parkedKey, link, waiting, now);
          }
        }
      }
    }
  }

  /**
   * An ORPHAN or TOO_DEEP for a pending token: its chain stays incomplete, so it audits itself,
   * what waits on it and tells its waiting children, once.
   */
  void orphaned(String tokenKey, TokenLink link) {
    if (link.audited()) {
      return;
    }
    long now = out.now();
    links.put(tokenKey, link.markAudited());
    out.audit(tokenKey, LedgerRecords.audit(link.definition(), null, Set.of(), now));
    auditParked(tokenKey, link, now);
    orphanWaiters(tokenKey);
  }

  /** Audits without a chain every use or revocation waiting on {@code tokenKey}. */
  void auditParked(String tokenKey, TokenLink link, long now) {
    for (KeyValue<String, Parked> entry : LedgerStores.scan(parked, tokenKey)) {
      auditWaiting(tokenKey, entry.key, link, entry.value, now);
    }
  }

  /** Tells every child waiting on {@code key} that its chain is not coming (for now). */
  void orphanWaiters(String key) {
    for (KeyValue<String, String> waiter : LedgerStores.scan(waiters, key)) {
      out.resolve(
          LedgerStores.sameTenant(key, ChildKey.parse(waiter.key).childId()), LoopMessage.orphan());
    }
  }

  /** A use or revocation still waiting: of a token never seen, or of one whose root is unknown. */
  private void auditWaiting(
      String tokenKey, String parkedKey, TokenLink link, Parked entry, long now) {
    LedgerEvent event = entry.event();
    boolean used = RecordValidator.USED.equals(event.getType());
    if (used && link == null) {
      parked.delete(parkedKey);
      out.audit(
          tokenKey, LedgerRecords.audit(event, null, Set.of(ViolationKind.unknown_token), now));
      out.alert(
          tokenKey,
          LedgerRecords.alert(
              event, LedgerKey.parse(tokenKey).tokenId(), ViolationKind.unknown_token, null, now));
      return;
    }
    if (!entry.audited()) {
      out.audit(tokenKey, LedgerRecords.audit(event, null, Set.of(), now));
    }
    if (link != null && link.state() == TokenLink.State.CYCLIC) {
      parked.delete(parkedKey); // a refused token never resolves: nothing will ever collect it
    } else if (!entry.audited()) {
      // Kept: a revocation of a token never seen makes it born revoked if it arrives; anything
      // waiting on an orphan goes on to stage 2 (not audited again) if the parent turns up.
      parked.put(parkedKey, entry.markAudited());
    }
  }
}

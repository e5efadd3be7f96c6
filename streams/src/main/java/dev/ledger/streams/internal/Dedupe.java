package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 1's memory of the uses and revocations it has seen, by their identity ({@code
 * EventIdentity.key()}: tenant, token, event id), so that a repeat is dropped: forever, or for
 * {@code retention} after they were first seen when one is set (then a copy arriving later than
 * that is processed again). Definitions need no entry: a repeat of one is dropped by its token's
 * link. Nor does an allowed use of a resolved token ({@link #leftToTree}): it goes straight on to
 * the tree processor, which keeps every allowed use it judges and drops a repeat of one there, for
 * good ({@code Uses.stored}); a use is the hot path, and that is one record less for each.
 */
final class Dedupe {

  /** Forgotten event ids per sweep at most, so one punctuation never stalls the task for long. */
  private static final int FORGET_PER_SWEEP = 10_000;

  private final KeyValueStore<String, Long> seen;
  private final KeyValueStore<String, String> expiry;
  private final Duration retention;
  private final Outputs out;

  /**
   * @param seen {@code ledger-dedupe}: identity to when it was first seen
   * @param expiry {@code ledger-dedupe-expiry}: {@link ExpiryKey}s of the identities to forget
   * @param retention how long an identity is remembered; zero: forever
   */
  Dedupe(
      KeyValueStore<String, Long> seen,
      KeyValueStore<String, String> expiry,
      Duration retention,
      Outputs out) {
    this.seen = seen;
    this.expiry = expiry;
    this.retention = retention;
    this.out = out;
  }

  /**
   * True if a repeat of {@code event} is dropped by the tree processor, so it needs no entry here:
   * an allowed use of a token whose root is known ({@code link} resolved), which goes on at once
   * and is kept there. A denied use is not kept there, and a use of a token not resolved yet waits
   * here, where a repeat of it must be dropped.
   */
  static boolean leftToTree(LedgerEvent event, TokenLink link) {
    return link != null
        && link.state() == TokenLink.State.RESOLVED
        && RecordValidator.USED.equals(event.getType())
        && event.getUse().getOutcome() == Outcome.allowed;
  }

  /** True if the event with this identity was seen (and not forgotten yet). */
  boolean seen(String identity) {
    return seen.get(identity) != null;
  }

  void remember(String identity) {
    long now = out.now();
    seen.put(identity, now);
    if (retention.isZero()) {
      return;
    }
    expiry.put(new ExpiryKey(now + retention.toMillis(), identity).encode(), "");
  }

  /** Forgets the identities whose retention ended by {@code now}, a bounded number per call. */
  void forget(long now) {
    for (String expiryKey : LedgerStores.dueBefore(expiry, now, FORGET_PER_SWEEP)) {
      expiry.delete(expiryKey);
      seen.delete(ExpiryKey.parse(expiryKey).key());
    }
  }
}

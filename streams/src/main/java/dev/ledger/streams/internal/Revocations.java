package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The revocations stored per token ({@code ledger-tree-revocations}: the earliest naming it) and
 * the one in force on a token, always computed from those of its chain, never read from its node
 * (which may still wait for a cascade's follow-up).
 */
final class Revocations {

  private final KeyValueStore<String, LedgerEvent> store;

  Revocations(KeyValueStore<String, LedgerEvent> store) {
    this.store = store;
  }

  /** Keeps {@code revocation} for the token {@code key} if it is the earliest naming it. */
  void record(String key, LedgerEvent revocation) {
    LedgerEvent existing = store.get(key);
    if (existing == null
        || Revoked.earlier(
            revocation.getOccurredAt(),
            revocation.getEventId(),
            existing.getOccurredAt(),
            existing.getEventId())) {
      store.put(key, revocation);
    }
  }

  /** True if a revocation names the token {@code key} itself. */
  boolean hasOwn(String key) {
    return store.get(key) != null;
  }

  /** The earliest revocation naming the token itself, or null. */
  Revoked own(String key, String tokenId) {
    LedgerEvent revocation = store.get(key);
    return revocation == null ? null : new Revoked(revocation.getOccurredAt(), tokenId);
  }

  /**
   * The earliest revocation of any token on {@code node}'s chain, itself included; null if none.
   */
  Revoked inForce(TokenNode node) {
    Revoked earliest = null;
    for (Hop hop : node.getChain()) {
      Revoked own =
          own(LedgerKey.of(node.getTenant(), hop.getTokenId()).toString(), hop.getTokenId());
      if (own != null && own.beats(earliest)) {
        earliest = own;
      }
    }
    return earliest;
  }

  /** The event of the revocation in force on {@code node} (its {@code revocation_cause}'s). */
  LedgerEvent causeOf(TokenNode node) {
    return store.get(LedgerKey.of(node.getTenant(), node.getRevocationCause()).toString());
  }
}

package dev.ledger.streams.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The expiry index of the tree processor ({@code ledger-tree-expiry}, {@link ExpiryKey}s): which
 * tokens a wall-clock sweep must look at because they just expired, so that it never reads a token
 * that did not.
 */
final class Expiry {

  private final KeyValueStore<String, String> index;

  Expiry(KeyValueStore<String, String> index) {
    this.index = index;
  }

  /** Makes the sweep after {@code expiresAt} look at the token {@code key}; none if null. */
  void schedule(String key, Instant expiresAt) {
    if (expiresAt != null) {
      index.put(new ExpiryKey(expiresAt.toEpochMilli(), key).encode(), "");
    }
  }

  /**
   * After a notice: makes sure the next sweep replaces it with a tombstone once the token expired.
   * A token already past its expiry was swept from the index: it goes back in. (A token not expired
   * yet is still in the index since it was attached.)
   */
  void tombstoneLater(String key, Instant expiresAt, long now) {
    if (expiresAt != null && expiresAt.toEpochMilli() < now) {
      schedule(key, expiresAt);
    }
  }

  /** Removes from the index and returns the keys of the tokens expired by {@code now}. */
  List<String> takeExpired(long now) {
    List<String> entries = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        index.range(LedgerStores.timeKey(0), LedgerStores.timeKey(now))) {
      it.forEachRemaining(kv -> entries.add(kv.key));
    }
    List<String> expired = new ArrayList<>(entries.size());
    for (String entry : entries) {
      index.delete(entry);
      expired.add(ExpiryKey.parse(entry).key());
    }
    return expired;
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.TokenNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Expiry in the tree processor: an index by time ({@code ledger-tree-expiry}, {@link ExpiryKey}s)
 * of the tokens a wall-clock sweep must look at because they just expired, so that it never reads a
 * token that did not, and the sweep itself ({@link #sweep}), which re-emits tokens that just
 * expired and replaces the notices of expired revoked ones with tombstones.
 */
final class Expiry {

  private final KeyValueStore<String, String> index;
  private final TreeNodes nodes;
  private final Outputs out;

  Expiry(KeyValueStore<String, String> index, TreeNodes nodes, Outputs out) {
    this.index = index;
    this.nodes = nodes;
    this.out = out;
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

  /**
   * The wall-clock punctuation: re-emits the tokens that expired by {@code now} and replaces the
   * notices of expired revoked ones with tombstones. A token whose revocation's follow-up is still
   * on its way is brought in line by {@code cascade} first.
   */
  void sweep(long now, Cascade cascade) {
    for (String key : takeExpired(now)) {
      TokenNode node = nodes.get(key);
      if (node == null) {
        continue;
      }
      if (cascade.catchUp(key, node)) {
        nodes.publish(key, node); // its revocation's follow-up is still on its way
      }
      if (node.getRevokedAt() != null) {
        out.revocation(key, null);
      } else if (Derivation.status(node, now) != node.getStatus()) {
        nodes.publish(key, node);
      }
    }
  }

  /** Removes from the index and returns the keys of the tokens expired by {@code now}. */
  List<String> takeExpired(long now) {
    List<String> entries = LedgerStores.dueBefore(index, now, Integer.MAX_VALUE);
    List<String> expired = new ArrayList<>(entries.size());
    for (String entry : entries) {
      index.delete(entry);
      expired.add(ExpiryKey.parse(entry).key());
    }
    return expired;
  }
}

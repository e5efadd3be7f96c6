package dev.ledger.streams.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store of entries kept under a token's key ({@code tokenKey + SEP + ...}) until that token
 * arrives and {@linkplain #drain drains} them, with the token keys that may have entries kept in
 * memory. Nearly every token has none, and draining it then does not touch the store. That matters
 * because a RocksDB seek steps over every tombstone that earlier drains left after its key: with a
 * seek per token, issuing a tree of 100,000 tokens at once got slower with every token
 * (BENCHMARKS.md, "Where we stand").
 *
 * <p>Every put goes through {@link #put}. The set is rebuilt from the store when the processor is
 * initialised (after a restart or a rebalance the store is restored first), and may hold a token
 * whose entries were deleted some other way ({@link #store()}): that costs one seek, never a missed
 * entry.
 */
final class Drainable<V> {

  private final KeyValueStore<String, V> store;
  private final Set<String> mayHave = new HashSet<>();

  Drainable(KeyValueStore<String, V> store) {
    this.store = store;
    try (KeyValueIterator<String, V> it = store.all()) {
      while (it.hasNext()) {
        mayHave.add(LedgerStores.tokenOf(it.next().key));
      }
    }
  }

  /** Keeps {@code value} under {@code key}, which starts with its token's key and a separator. */
  void put(String key, V value) {
    store.put(key, value);
    mayHave.add(LedgerStores.tokenOf(key));
  }

  /** Removes and returns, in key order, the entries kept under {@code tokenKey}. */
  List<KeyValue<String, V>> drain(String tokenKey) {
    return mayHave.remove(tokenKey) ? LedgerStores.drain(store, tokenKey) : List.of();
  }

  /**
   * The entry under {@code key} (which starts with its token's key), or null; a token with no
   * entries kept answers from memory, without a store read.
   */
  V get(String key) {
    return mayHave.contains(LedgerStores.tokenOf(key)) ? store.get(key) : null;
  }

  /** The store itself, for point reads and deletes. */
  KeyValueStore<String, V> store() {
    return store;
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.TokenNode;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The tree processor's stored tokens ({@code ledger-tree-nodes}), kept encoded: a node is encoded
 * once per change, for the store and for ledger.tokens alike.
 */
final class TreeNodes {

  private final KeyValueStore<String, byte[]> store;
  private final Outputs out;

  TreeNodes(KeyValueStore<String, byte[]> store, Outputs out) {
    this.store = store;
    this.out = out;
  }

  /** The stored node of {@code key}, a fresh copy, or null. */
  TokenNode get(String key) {
    return LedgerStores.NODE_SERDE.decode(store.get(key));
  }

  /**
   * Stores {@code node} with its status as of now and emits it on ledger.tokens: one encoding for
   * both.
   */
  TokenNode publish(String key, TokenNode node) {
    long now = out.now();
    node.setStatus(Derivation.status(node, now));
    node.setUpdatedAt(Instant.ofEpochMilli(now));
    byte[] encoded = LedgerStores.NODE_SERDE.encode(node);
    store.put(key, encoded);
    out.token(key, encoded);
    return node;
  }
}

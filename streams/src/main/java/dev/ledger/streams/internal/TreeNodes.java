package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.TokenNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The tree processor's stored tokens ({@code ledger-tree-nodes}), kept encoded: a node is encoded
 * once per change, for the store and for ledger.tokens alike.
 *
 * <p>The nodes of the busiest tokens are also kept decoded, because every use and every uses flush
 * reads its node and decoding it was about a tenth of the stream thread (BENCHMARKS.md). So {@link
 * #get} hands out the node itself, shared with the next caller: a caller changes a node only to
 * {@link #publish} it, in the same record or punctuation. A processor whose transaction aborts is
 * initialised again with a new instance of this class, so a change never published cannot outlive
 * its transaction here.
 */
final class TreeNodes {

  /**
   * Decoded nodes kept per task: about 1.5 KB each, so some 3 MB a task, while a tree's uses and
   * flushes mostly touch its recent tokens.
   */
  static final int DECODED = 2_048;

  private final KeyValueStore<String, byte[]> store;
  private final Outputs out;
  private final Map<String, TokenNode> decoded =
      new LinkedHashMap<>(DECODED * 4 / 3 + 1, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenNode> eldest) {
          return size() > DECODED;
        }
      };

  TreeNodes(KeyValueStore<String, byte[]> store, Outputs out) {
    this.store = store;
    this.out = out;
  }

  /**
   * The stored node of {@code key}, or null: the instance the next {@code get} returns too, so
   * change it only to {@link #publish} it.
   */
  TokenNode get(String key) {
    TokenNode node = decoded.get(key);
    if (node == null) {
      node = LedgerStores.NODE_SERDE.decode(store.get(key));
      if (node != null) {
        decoded.put(key, node);
      }
    }
    return node;
  }

  /**
   * Stores {@code node} with its status as of now and emits it on ledger.tokens: one encoding for
   * both. {@code node} becomes the one {@link #get} returns.
   */
  TokenNode publish(String key, TokenNode node) {
    long now = out.now();
    node.setStatus(Derivation.status(node, now));
    node.setUpdatedAt(Instant.ofEpochMilli(now));
    byte[] encoded = LedgerStores.NODE_SERDE.encode(node);
    store.put(key, encoded);
    decoded.put(key, node);
    out.token(key, encoded);
    return node;
  }
}

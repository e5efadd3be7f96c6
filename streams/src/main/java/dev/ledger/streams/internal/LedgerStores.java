package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The state stores of both stages: names and builders. Composite keys join their parts with {@link
 * #SEP} (U+0000, which no tenant or token id contains) so that a {@code prefixScan} on {@code
 * "tenant/token" + SEP} finds exactly one token's entries.
 */
public final class LedgerStores {

  /** Separator inside composite store keys. */
  public static final String SEP = "\u0000";

  // Stage 1, keyed like ledger.events.
  /**
   * Events seen, by their identity ({@code EventIdentity.key()}: tenant/token + SEP + event_id).
   */
  public static final String DEDUPE = "ledger-dedupe";

  /** Dedupe entries by the time they are forgotten: {@code timeKey + SEP + identity key}. */
  public static final String DEDUPE_EXPIRY = "ledger-dedupe-expiry";

  public static final String LINKS = "ledger-links";
  public static final String WAITERS = "ledger-waiters";
  public static final String PARKED = "ledger-parked";
  public static final String DUE = "ledger-due";
  // Stage 2, keyed by root on the tree topic; store keys are tenant/token based.
  public static final String DEFINITIONS = "ledger-tree-definitions";
  public static final String NODES = "ledger-tree-nodes";
  public static final String CHILDREN = "ledger-tree-children";

  /** Every attached token by its chain ({@link SubtreePath}): a subtree is a key prefix. */
  public static final String SUBTREES = "ledger-tree-subtrees";

  public static final String REVOCATIONS = "ledger-tree-revocations";

  /**
   * Allowed uses already counted in their tokens' {@code uses}: {@code token + SEP + event_id} to a
   * {@link StoredUse}.
   */
  public static final String USES = "ledger-tree-uses";

  /**
   * Allowed uses not yet counted in the {@code uses} of their token and its ancestors, keyed and
   * valued like {@link #USES}; the tree processor's flush counts them and moves them there. Small:
   * it holds the uses of one flush interval.
   */
  public static final String PENDING_USES = "ledger-tree-pending-uses";

  /**
   * Allowed uses counted against a token with max_uses: {@code token + SEP + timeKey + SEP +
   * event_id} to the used token.
   */
  public static final String BUDGETS = "ledger-tree-budgets";

  public static final String WAITING = "ledger-tree-waiting";
  public static final String EXPIRY = "ledger-tree-expiry";

  /** How {@link #NODES} values are encoded (the tree processor keeps them as bytes). */
  public static final AvroSerde<TokenNode> NODE_SERDE = AvroSerde.of(TokenNode.class);

  private LedgerStores() {}

  /** The stores of the stage-1 resolver. */
  public static List<StoreBuilder<?>> resolverStores(boolean inMemory) {
    return List.of(
        store(DEDUPE, Serdes.Long(), inMemory),
        store(DEDUPE_EXPIRY, Serdes.String(), inMemory),
        cached(store(LINKS, TokenLink.SERDE, inMemory)),
        store(WAITERS, Serdes.String(), inMemory),
        store(PARKED, Parked.SERDE, inMemory),
        store(DUE, Serdes.String(), inMemory));
  }

  /** The stores of the stage-2 tree processor. */
  public static List<StoreBuilder<?>> treeStores(boolean inMemory) {
    return List.of(
        store(DEFINITIONS, TreeMessage.SERDE, inMemory),
        cached(store(NODES, Serdes.ByteArray(), inMemory)),
        store(CHILDREN, Serdes.String(), inMemory),
        store(SUBTREES, Serdes.String(), inMemory),
        store(REVOCATIONS, AvroSerde.of(LedgerEvent.class), inMemory),
        cached(store(USES, Serdes.String(), inMemory)),
        cached(store(PENDING_USES, Serdes.String(), inMemory)),
        store(BUDGETS, Serdes.String(), inMemory),
        store(WAITING, TreeMessage.SERDE, inMemory),
        store(EXPIRY, Serdes.String(), inMemory));
  }

  /** {@code "tenant/token" + SEP + part}. */
  public static String compose(String tokenKey, String part) {
    return tokenKey + SEP + part;
  }

  /** The token key a {@link #compose composed} key starts with; the whole key if it has no part. */
  static String tokenOf(String key) {
    int sep = key.indexOf(SEP);
    return sep < 0 ? key : key.substring(0, sep);
  }

  /** The part of a {@link #compose composed} key after its token key; empty if it has none. */
  static String partOf(String key) {
    int sep = key.indexOf(SEP);
    return sep < 0 ? "" : key.substring(sep + 1);
  }

  /** A time as a fixed-width, lexicographically ordered key prefix. */
  public static String timeKey(long millis) {
    return String.format("%015d", Math.max(0, millis));
  }

  /** Removes and returns every entry of {@code store} under {@code tokenKey + SEP}. */
  public static <V> List<KeyValue<String, V>> drain(
      KeyValueStore<String, V> store, String tokenKey) {
    List<KeyValue<String, V>> entries = scan(store, tokenKey);
    entries.forEach(kv -> store.delete(kv.key));
    return entries;
  }

  /** The entries of {@code store} under {@code tokenKey + SEP} in key order, lazily; close it. */
  public static <V> KeyValueIterator<String, V> iterate(
      KeyValueStore<String, V> store, String tokenKey) {
    return store.prefixScan(tokenKey + SEP, Serdes.String().serializer());
  }

  /** The greatest key of {@code store} under {@code tokenKey + SEP}, or null. */
  public static String lastKey(KeyValueStore<String, ?> store, String tokenKey) {
    try (KeyValueIterator<String, ?> it = store.reverseRange(tokenKey + SEP, end(tokenKey))) {
      return it.hasNext() ? it.next().key : null;
    }
  }

  /**
   * The entries of {@code store} under {@code tokenKey + SEP} that sort after {@code after} (one of
   * them, or null for all), in key order, lazily; close it. Every key after {@code after} sorts at
   * or above {@code after + SEP}, since SEP is the smallest character.
   */
  public static <V> KeyValueIterator<String, V> iterateAfter(
      KeyValueStore<String, V> store, String tokenKey, String after) {
    return store.range((after == null ? tokenKey : after) + SEP, end(tokenKey));
  }

  /**
   * An upper bound for the keys under {@code tokenKey + SEP}: {@code tokenKey + U+0001} sorts above
   * all of them and is no key itself, because no part of a key contains a control character.
   */
  private static String end(String tokenKey) {
    return tokenKey + "\u0001";
  }

  /**
   * Whether {@code a} sorts after {@code b} in a store (by UTF-8 bytes, as the stores order keys).
   */
  public static boolean sortsAfter(String a, String b) {
    return Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))
        > 0;
  }

  /**
   * At most {@code limit} keys of a time-indexed store (keys starting with a {@link #timeKey}) up
   * to {@code now}, oldest first.
   */
  public static List<String> dueBefore(KeyValueStore<String, String> index, long now, int limit) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> it = index.range(timeKey(0), timeKey(now))) {
      while (it.hasNext() && keys.size() < limit) {
        keys.add(it.next().key);
      }
    }
    return keys;
  }

  /** The key of token {@code tokenId} in the tenant of {@code tokenKey} (its root, a child...). */
  public static String sameTenant(String tokenKey, String tokenId) {
    return LedgerKey.of(LedgerKey.parse(tokenKey).tenant(), tokenId).toString();
  }

  /** Every entry of {@code store} under {@code tokenKey + SEP}, in key order. */
  public static <V> List<KeyValue<String, V>> scan(
      KeyValueStore<String, V> store, String tokenKey) {
    List<KeyValue<String, V>> entries = new ArrayList<>();
    try (KeyValueIterator<String, V> it = iterate(store, tokenKey)) {
      it.forEachRemaining(entries::add);
    }
    return entries;
  }

  /**
   * Caching for a store whose keys are written again soon after (see streams/README.md, "Caching
   * and commits"): within one commit the cache keeps the last value of a key and writes only that
   * to the store and its changelog. A store whose keys are written once gains nothing from it.
   */
  private static <V> StoreBuilder<KeyValueStore<String, V>> cached(
      StoreBuilder<KeyValueStore<String, V>> builder) {
    return builder.withCachingEnabled();
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(
      String name, Serde<V> values, boolean inMemory) {
    KeyValueBytesStoreSupplier supplier =
        inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    return Stores.keyValueStoreBuilder(supplier, Serdes.String(), values);
  }
}

package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationSettings;

/**
 * Where a source keeps its live revocations. Written by one thread (the source's), read by any.
 * Implementations must make a {@link #put} visible to readers once it returns. Open one with {@link
 * #open}; the source that opened it closes it.
 */
public interface RevocationStore extends AutoCloseable {

  /**
   * The empty store {@code settings.store()} names. The settings must have been checked: a RocksDB
   * store is only touched (and its classes only loaded) when asked for, so the in-memory one works
   * without rocksdbjni on the classpath. A store that cannot be opened is an {@link
   * dev.ledger.revocation.InvalidSettingsException}.
   */
  static RevocationStore open(RevocationSettings settings) {
    return switch (settings.store()) {
      case MEMORY -> new InMemoryRevocationStore();
      case ROCKSDB -> RocksDbRevocationStore.open(settings.storeDirectory());
    };
  }

  void put(Revocation revocation);

  /** Removes the token's revocation; true if there was one. */
  boolean remove(String tenant, String tokenId);

  /** Whether the token has a live revocation; must not allocate. */
  boolean contains(String tenant, String tokenId);

  /** The token's revocation, or null. */
  Revocation get(String tenant, String tokenId);

  /** Live revocations, exactly. */
  long size();

  /**
   * Frees what the store holds outside the heap; called once no more writes come. What lookups
   * answer afterwards is up to the store (the in-memory one keeps answering), but they must not
   * fail.
   */
  @Override
  default void close() {}
}

package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;

/**
 * Where a source keeps its live revocations. Written by one thread (the source's), read by any.
 * Implementations must make a {@link #put} visible to readers once it returns.
 */
public interface RevocationStore {

  void put(Revocation revocation);

  /** Removes the token's revocation; true if there was one. */
  boolean remove(String tenant, String tokenId);

  /** Whether the token has a live revocation; must not allocate. */
  boolean contains(String tenant, String tokenId);

  /** The token's revocation, or null. */
  Revocation get(String tenant, String tokenId);

  long size();
}

package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory store: one concurrent map per tenant, token id to a compact entry. Two levels so
 * that a lookup does not build a {@code tenant/token_id} string; the entry keeps only what {@link
 * Revocation} needs, as primitives, no copy of the token id when the token was revoked itself, and
 * one shared copy of a cause that many descendants share: about 150 bytes per revocation with
 * 11-character ids (docs/BENCHMARKS-revocation.md).
 */
public final class InMemoryRevocationStore implements RevocationStore {

  private static final long NO_EXPIRY = Long.MIN_VALUE;

  /** revocationCause null means the token itself. */
  private record Entry(long revokedAtMillis, long expiresAtMillis, String revocationCause) {}

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> tenants =
      new ConcurrentHashMap<>();
  private final AtomicLong size = new AtomicLong();

  /**
   * Causes seen lately, by hash: a cascade gives many descendants the same cause, and sharing one
   * String instance instead of one copy per descendant saves ~50 bytes each. Only the writer thread
   * touches it.
   */
  private final String[] recentCauses = new String[4096];

  @Override
  public void put(Revocation r) {
    Entry entry =
        new Entry(
            r.revokedAt().toEpochMilli(),
            r.expiresAt() == null ? NO_EXPIRY : r.expiresAt().toEpochMilli(),
            r.inherited() ? shared(r.revocationCause()) : null);
    if (tenants.computeIfAbsent(r.tenant(), t -> new ConcurrentHashMap<>()).put(r.tokenId(), entry)
        == null) {
      size.incrementAndGet();
    }
  }

  private String shared(String cause) {
    int slot = cause.hashCode() & (recentCauses.length - 1);
    String seen = recentCauses[slot];
    if (cause.equals(seen)) {
      return seen;
    }
    recentCauses[slot] = cause;
    return cause;
  }

  @Override
  public boolean remove(String tenant, String tokenId) {
    ConcurrentHashMap<String, Entry> tokens = tenants.get(tenant);
    if (tokens != null && tokens.remove(tokenId) != null) {
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  @Override
  public boolean contains(String tenant, String tokenId) {
    ConcurrentHashMap<String, Entry> tokens = tenants.get(tenant);
    return tokens != null && tokens.containsKey(tokenId);
  }

  @Override
  public Revocation get(String tenant, String tokenId) {
    ConcurrentHashMap<String, Entry> tokens = tenants.get(tenant);
    Entry e = tokens == null ? null : tokens.get(tokenId);
    if (e == null) {
      return null;
    }
    return new Revocation(
        tenant,
        tokenId,
        Instant.ofEpochMilli(e.revokedAtMillis),
        e.revocationCause == null ? tokenId : e.revocationCause,
        e.expiresAtMillis == NO_EXPIRY ? null : Instant.ofEpochMilli(e.expiresAtMillis));
  }

  @Override
  public long size() {
    return size.get();
  }
}

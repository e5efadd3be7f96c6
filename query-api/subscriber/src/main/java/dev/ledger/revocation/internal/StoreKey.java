package dev.ledger.revocation.internal;

/**
 * A reusable buffer holding the UTF-8 key {@code tenant/tokenId} of one RocksDB entry, so that a
 * lookup encodes into memory it already has instead of allocating a String and a byte array per
 * call. The tenant never contains {@code /} (keys on the topic are split at the first one), so the
 * key is unambiguous. Not thread-safe: one per thread.
 */
final class StoreKey {

  private byte[] bytes = new byte[64];
  private int length;

  /** Encodes the key; the bytes are {@link #bytes()}[0, {@link #length()}). Returns this. */
  StoreKey of(String tenant, String tokenId) {
    // UTF-8 needs at most 3 bytes per UTF-16 char (a surrogate pair: 4 bytes for 2 chars).
    int max = 3 * (tenant.length() + tokenId.length()) + 1;
    if (bytes.length < max) {
      bytes = new byte[Math.max(max, 2 * bytes.length)];
    }
    int n = Utf8.encode(tenant, bytes, 0);
    bytes[n++] = '/';
    length = Utf8.encode(tokenId, bytes, n);
    return this;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }
}

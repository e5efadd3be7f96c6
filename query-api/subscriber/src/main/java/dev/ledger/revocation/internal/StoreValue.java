package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The value of a RocksDB entry: what {@link RevocationStore#get} returns beyond the key, in about
 * 11 bytes plus the cause of an inherited revocation. Layout: one flag byte; {@code revokedAt} in
 * epoch milliseconds as a zig-zag varint; if it expires, {@code expiresAt - revokedAt} the same way
 * (token lifetimes are short: 4 bytes for an hour); if inherited, the cause's UTF-8 bytes up to the
 * end. Reused like {@link StoreKey}: one per thread.
 */
final class StoreValue {

  private static final int EXPIRES = 1;
  private static final int INHERITED = 2;

  private byte[] bytes = new byte[64];
  private int length;
  private int cursor;

  /** Encodes {@code r}; the bytes are {@link #bytes()}[0, {@link #length()}). Returns this. */
  StoreValue of(Revocation r) {
    String cause = r.inherited() ? r.revocationCause() : "";
    int max = 1 + 10 + 10 + 3 * cause.length();
    if (bytes.length < max) {
      bytes = new byte[Math.max(max, 2 * bytes.length)];
    }
    long revokedAt = r.revokedAt().toEpochMilli();
    bytes[0] = (byte) ((r.expiresAt() == null ? 0 : EXPIRES) | (r.inherited() ? INHERITED : 0));
    int n = writeVarLong(revokedAt, 1);
    if (r.expiresAt() != null) {
      n = writeVarLong(r.expiresAt().toEpochMilli() - revokedAt, n);
    }
    length = Utf8.encode(cause, bytes, n);
    return this;
  }

  /** The buffer reads land in; grown (contents dropped) to hold at least {@code size} bytes. */
  byte[] buffer(int size) {
    if (bytes.length < size) {
      bytes = new byte[Math.max(size, 2 * bytes.length)];
    }
    return bytes;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** The revocation whose value is {@code bytes()[0, length)}, read back for the given key. */
  Revocation decode(String tenant, String tokenId, int length) {
    int flags = bytes[0];
    cursor = 1;
    long revokedAt = readVarLong();
    Instant expiresAt =
        (flags & EXPIRES) == 0 ? null : Instant.ofEpochMilli(revokedAt + readVarLong());
    String cause =
        (flags & INHERITED) == 0
            ? tokenId
            : new String(bytes, cursor, length - cursor, StandardCharsets.UTF_8);
    return new Revocation(tenant, tokenId, Instant.ofEpochMilli(revokedAt), cause, expiresAt);
  }

  private int writeVarLong(long value, int at) {
    long v = (value << 1) ^ (value >> 63);
    int n = at;
    while ((v & ~0x7fL) != 0) {
      bytes[n++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes[n++] = (byte) v;
    return n;
  }

  private long readVarLong() {
    long v = 0;
    int shift = 0;
    byte b;
    do {
      b = bytes[cursor++];
      v |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while (b < 0);
    return (v >>> 1) ^ -(v & 1);
  }
}

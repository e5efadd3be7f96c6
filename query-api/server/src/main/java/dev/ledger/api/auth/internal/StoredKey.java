package dev.ledger.api.auth.internal;

import dev.ledger.api.auth.KeyInfo;
import java.time.Instant;

/**
 * One line of the keys file: the key's description and the SHA-256 of its secret.
 *
 * @param info not null
 * @param sha256 32 bytes
 */
public record StoredKey(KeyInfo info, byte[] sha256) {
  /**
   * @return this key revoked at {@code at}
   */
  public StoredKey revoked(Instant at) {
    return new StoredKey(info.revoked(at), sha256);
  }
}

package dev.ledger.api.auth;

/**
 * A key just created. The secret exists only here: the store keeps its hash, so show it once and
 * forget it.
 *
 * @param keyId the public id
 * @param secret the whole bearer value, {@code ldg_<keyId>_<random>}
 * @param info the stored description
 */
public record CreatedKey(String keyId, String secret, KeyInfo info) {
  @Override
  public String toString() {
    // Keep the secret out of logs that print records.
    return "CreatedKey[keyId=" + keyId + ", info=" + info + "]";
  }
}

package dev.ledger.api.auth;

import java.util.Optional;

/**
 * Verifies the credential of an {@code Authorization: Bearer} header. Implementations are
 * thread-safe.
 */
public interface KeyStore {
  /**
   * @param bearerCredential the text after {@code Bearer }, never null (may be malformed)
   * @return the caller when the credential is valid and not revoked, else empty; never throws for
   *     bad input
   */
  Optional<Caller> authenticate(String bearerCredential);

  /**
   * @param stores tried in order, not null
   * @return a store accepting what any of {@code stores} accepts (API keys and JWTs, say)
   */
  static KeyStore anyOf(KeyStore... stores) {
    java.util.List<KeyStore> all = java.util.List.of(stores);
    return credential -> {
      for (KeyStore store : all) {
        Optional<Caller> caller = store.authenticate(credential);
        if (caller.isPresent()) {
          return caller;
        }
      }
      return Optional.empty();
    };
  }
}

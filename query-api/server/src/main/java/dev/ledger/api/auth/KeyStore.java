package dev.ledger.api.auth;

import java.util.Optional;

/** Verifies the credential of an {@code Authorization: Bearer} header. Implementations are thread-safe. */
public interface KeyStore {
    /**
     * @param bearerCredential the text after {@code Bearer }, never null (may be malformed)
     * @return the caller when the credential is valid and not revoked, else empty; never throws for bad input
     */
    Optional<Caller> authenticate(String bearerCredential);
}

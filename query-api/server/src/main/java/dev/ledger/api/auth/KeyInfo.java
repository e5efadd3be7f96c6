package dev.ledger.api.auth;

import java.time.Instant;

/**
 * What is known about an API key, without its secret.
 *
 * @param keyId     the public id, part of the key itself
 * @param role      its role
 * @param tenant    its tenant or {@code *}
 * @param label     free text chosen at creation, may be null
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, null while it is valid
 */
public record KeyInfo(String keyId, Role role, String tenant, String label, Instant createdAt, Instant revokedAt) {
    /** @return true when the key has not been revoked */
    public boolean active() {
        return revokedAt == null;
    }
}

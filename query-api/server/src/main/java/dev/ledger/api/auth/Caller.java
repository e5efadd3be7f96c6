package dev.ledger.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a request, once its credential has been verified.
 *
 * @param keyId  the credential's id (an API key id or a JWT subject), never null
 * @param role   what it may do, never null
 * @param tenant the tenant it acts for, or {@link Tenants#ALL}, never null
 * @param expiresAt when the credential stops being valid (a JWT's {@code exp}), or null when only revocation ends it;
 *                  open streams end when it passes
 */
public record Caller(String keyId, Role role, String tenant, Instant expiresAt) {
    /** A caller whose credential does not expire (an API key). */
    public Caller(String keyId, Role role, String tenant) {
        this(keyId, role, tenant, null);
    }

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        if (!Tenants.isCredentialTenant(tenant)) {
            throw new IllegalArgumentException("invalid tenant '" + tenant + "'");
        }
    }

    /** @return true when this caller may act for every tenant */
    public boolean allTenants() {
        return Tenants.ALL.equals(tenant);
    }
}

package dev.ledger.api.auth;

import java.util.Objects;

/**
 * Who made a request, once its credential has been verified.
 *
 * @param keyId  the credential's id (an API key id or a JWT subject), never null
 * @param role   what it may do, never null
 * @param tenant the tenant it acts for, or {@link Tenants#ALL}, never null
 */
public record Caller(String keyId, Role role, String tenant) {
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

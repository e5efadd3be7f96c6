package dev.ledger.api.internal;

import dev.ledger.api.auth.Role;
import io.javalin.security.RouteRole;

/** What a route requires of its caller; attached to each route when it is registered. */
public enum Permission implements RouteRole {
    /** No credential needed ({@code /health}, {@code /metrics}, {@code /openapi.json}). */
    OPEN,
    /** Any valid credential, whatever its role ({@code /v1/keys}: public material, but under {@code /v1}). */
    AUTHENTICATED,
    /** A role that reads: auditor or admin. */
    READ,
    /** A role that writes: producer or admin. */
    WRITE;

    /** @return true when {@code role} is enough for this permission */
    public boolean allows(Role role) {
        return switch (this) {
            case OPEN, AUTHENTICATED -> true;
            case READ -> role.canRead();
            case WRITE -> role.canWrite();
        };
    }
}

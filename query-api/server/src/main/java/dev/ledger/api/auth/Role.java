package dev.ledger.api.auth;

/**
 * What a credential may do (CONTRACT.md section 5). Names are lowercase because they are written as-is into the keys
 * file, JWT {@code role} claims and command-line arguments.
 */
public enum Role {
    /** Reads: tokens, audit, alerts, revocations. */
    auditor,
    /** Writes: {@code POST /v1/events}. */
    producer,
    /** Reads and writes. */
    admin;

    /** @return true when this role may call the read routes. */
    public boolean canRead() {
        return this == auditor || this == admin;
    }

    /** @return true when this role may post events. */
    public boolean canWrite() {
        return this == producer || this == admin;
    }

    /**
     * Parses a role name, case-insensitively.
     *
     * @param name a role name, not null
     * @return the role
     * @throws IllegalArgumentException naming the accepted values when {@code name} is not one
     */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name.strip())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "' (expected auditor, producer or admin)");
    }
}

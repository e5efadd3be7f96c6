package dev.ledger.api.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, once its credential has been verified.
 *
 * @param keyId the credential's id (an API key id, or {@code jwt:<sub>}), never null; recorded as
 *     the submitter of every event it posts
 * @param permissions what it may do, never null (may be empty)
 * @param tenant the tenant it acts for, or {@link Tenants#ALL}, never null
 * @param expiresAt when the credential stops being valid (a JWT's {@code exp}), or null when only
 *     revocation ends it; open streams end when it passes
 */
public record Caller(String keyId, Set<Permission> permissions, String tenant, Instant expiresAt) {
  /** A caller whose credential does not expire (an API key), holding {@code role}'s preset. */
  public Caller(String keyId, Role role, String tenant) {
    this(keyId, role.permissions(), tenant, null);
  }

  /** A caller holding {@code role}'s preset. */
  public Caller(String keyId, Role role, String tenant, Instant expiresAt) {
    this(keyId, role.permissions(), tenant, expiresAt);
  }

  public Caller {
    Objects.requireNonNull(keyId, "keyId");
    Set<Permission> copy = EnumSet.noneOf(Permission.class);
    copy.addAll(Objects.requireNonNull(permissions, "permissions"));
    permissions = Collections.unmodifiableSet(copy);
    if (!Tenants.isCredentialTenant(tenant)) {
      throw new IllegalArgumentException("invalid tenant '" + tenant + "'");
    }
  }

  /**
   * @return true when this caller holds {@code permission}
   */
  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }

  /**
   * @return true when this caller may act for every tenant
   */
  public boolean allTenants() {
    return Tenants.ALL.equals(tenant);
  }
}

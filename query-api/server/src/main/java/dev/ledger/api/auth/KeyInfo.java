package dev.ledger.api.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What is known about an API key, without its secret.
 *
 * @param keyId the public id, part of the key itself
 * @param role the preset it was created with, or null for a key created with an explicit permission
 *     list
 * @param permissions what it may do: the role's preset when it has one (whatever is passed), else
 *     the explicit list, which must not be empty
 * @param tenant its tenant or {@code *}
 * @param label free text chosen at creation, may be null
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, null while it is valid
 */
public record KeyInfo(
    String keyId,
    Role role,
    Set<Permission> permissions,
    String tenant,
    String label,
    Instant createdAt,
    Instant revokedAt) {
  public KeyInfo {
    if (role != null) {
      permissions = role.permissions();
    } else if (permissions == null || permissions.isEmpty()) {
      throw new IllegalArgumentException("a key needs a role or at least one permission");
    } else {
      permissions = Collections.unmodifiableSet(EnumSet.copyOf(permissions));
    }
    Objects.requireNonNull(keyId, "keyId");
  }

  /** A key holding {@code role}'s preset. */
  public KeyInfo(
      String keyId, Role role, String tenant, String label, Instant createdAt, Instant revokedAt) {
    this(keyId, role, null, tenant, label, createdAt, revokedAt);
  }

  /**
   * @return true when the key has not been revoked
   */
  public boolean active() {
    return revokedAt == null;
  }

  /**
   * @return this key revoked at {@code at}
   */
  public KeyInfo revoked(Instant at) {
    return new KeyInfo(keyId, role, permissions, tenant, label, createdAt, at);
  }

  /**
   * @return what it was granted, as {@code ledger keys list} shows it: the role's name, else the
   *     permission list
   */
  public String grants() {
    return role != null ? role.id() : Permission.join(permissions);
  }
}

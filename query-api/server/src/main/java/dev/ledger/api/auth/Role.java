package dev.ledger.api.auth;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A named preset of {@link Permission}s (CONTRACT.md section 5). A key created with a role keeps
 * the role's name, so it holds whatever the preset holds. Constant names are lowercase because
 * existing keys files, JWT {@code role} claims and command lines carry them as they are; {@link
 * #id()} is the written form ({@code resource-server}).
 */
public enum Role {
  /** Reads: tokens, audit and alerts, revocations, exports. */
  auditor(
      Permission.READ_AUDIT,
      Permission.READ_TOKENS,
      Permission.READ_REVOCATIONS,
      Permission.EXPORT),
  /** Reports every event type. */
  producer(Permission.EVENTS_ISSUE, Permission.EVENTS_USE, Permission.EVENTS_REVOKE),
  /** Everything. */
  admin(Permission.values()),
  /** A resource server: reports uses (never issuance or revocation) and follows revocations. */
  resource_server(Permission.EVENTS_USE, Permission.READ_REVOCATIONS),
  /**
   * An SSF receiver: manages and polls its tenant's Shared Signals streams and reads revocations,
   * nothing else.
   */
  subscriber(Permission.SSF_MANAGE, Permission.READ_REVOCATIONS);

  private final Set<Permission> permissions;

  Role(Permission... permissions) {
    this.permissions = Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(permissions)));
  }

  /**
   * @return what a credential with this role may do; unmodifiable
   */
  public Set<Permission> permissions() {
    return permissions;
  }

  /**
   * @return the written name: {@code auditor}, {@code producer}, {@code admin}, {@code
   *     resource-server} or {@code subscriber}
   */
  public String id() {
    return name().replace('_', '-');
  }

  @Override
  public String toString() {
    return id();
  }

  /**
   * Parses a role name, case-insensitively ({@code resource_server} is read as {@code
   * resource-server}).
   *
   * @param name a role name, not null
   * @return the role
   * @throws IllegalArgumentException naming the accepted values when {@code name} is not one
   */
  public static Role parse(String name) {
    String wanted = name.strip().replace('_', '-');
    for (Role role : values()) {
      if (role.id().equalsIgnoreCase(wanted)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '"
            + name
            + "' (expected "
            + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "))
            + ")");
  }
}

package dev.ledger.api.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One right a credential may hold (CONTRACT.md section 5). A credential holds a set of them and a
 * tenant; a {@link Role} is a named preset of such a set. The names ({@link #id()}) are what keys
 * files, JWT {@code permissions} claims and {@code ledger keys create --permissions} carry.
 */
public enum Permission {
  /** Report {@code token.issued}, {@code token.exchanged} and {@code token.attenuated}. */
  EVENTS_ISSUE("events:issue"),
  /** Report {@code token.used}. */
  EVENTS_USE("events:use"),
  /**
   * Report {@code token.revoked}: apart from uses, so that a resource server's key cannot revoke.
   */
  EVENTS_REVOKE("events:revoke"),
  /** {@code GET /v1/audit} and {@code GET /v1/alerts}. */
  READ_AUDIT("read:audit"),
  /** {@code GET /v1/tokens/{id}} and its descendants. */
  READ_TOKENS("read:tokens"),
  /** {@code GET /v1/revocations} and the revocation stream. */
  READ_REVOCATIONS("read:revocations"),
  /** {@code GET /v1/exports}. */
  EXPORT("export"),
  /**
   * Managing API keys (reserved for routes that manage keys; {@code ledger keys} works on the keys
   * file).
   */
  KEYS_ADMIN("keys:admin"),
  /**
   * The tenant's Shared Signals (SSF) event streams: create, read, change, delete, verify and poll
   * them.
   */
  SSF_MANAGE("ssf:manage");

  /**
   * The three permissions that report events; a credential with any of them may call {@code POST
   * /v1/events}.
   */
  public static final Set<Permission> EVENTS =
      Collections.unmodifiableSet(EnumSet.of(EVENTS_ISSUE, EVENTS_USE, EVENTS_REVOKE));

  private final String id;

  Permission(String id) {
    this.id = id;
  }

  /**
   * @return the permission's name, e.g. {@code events:use}
   */
  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }

  /**
   * Parses a list of permission names separated by commas or white space, as a JWT {@code
   * permissions} claim or {@code --permissions} gives them.
   *
   * @param text not null
   * @return the permissions, never empty
   * @throws IllegalArgumentException naming every unknown name and the accepted ones, or when none
   *     is given
   */
  public static Set<Permission> parseAll(String text) {
    return parseAll(Arrays.asList(text.strip().split("[,\\s]+")));
  }

  /**
   * Parses permission names, one per item.
   *
   * @throws IllegalArgumentException naming every unknown name and the accepted ones, or when none
   *     is given
   */
  public static Set<Permission> parseAll(List<String> names) {
    Set<Permission> parsed = EnumSet.noneOf(Permission.class);
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        continue;
      }
      Permission permission = byId(name.strip());
      if (permission == null) {
        unknown.add("'" + name.strip() + "'");
      } else {
        parsed.add(permission);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown permission "
              + String.join(", ", unknown)
              + " (expected "
              + Arrays.stream(values()).map(Permission::id).collect(Collectors.joining(", "))
              + ")");
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("no permission given");
    }
    return Collections.unmodifiableSet(parsed);
  }

  /**
   * @return the permissions' names
   */
  public static Set<String> ids(Set<Permission> permissions) {
    return permissions.stream().map(Permission::id).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * @return the permissions' names in declaration order, comma-separated
   */
  public static String join(Set<Permission> permissions) {
    return permissions.stream().sorted().map(Permission::id).collect(Collectors.joining(","));
  }

  private static Permission byId(String id) {
    for (Permission p : values()) {
      if (p.id.equalsIgnoreCase(id)) {
        return p;
      }
    }
    return null;
  }
}

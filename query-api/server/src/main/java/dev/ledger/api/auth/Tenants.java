package dev.ledger.api.auth;

import java.util.regex.Pattern;

/**
 * The tenant names a credential may carry: a tenant of CONTRACT.md section 1, or {@code *} for
 * every tenant.
 */
public final class Tenants {
  /** The tenant of a credential that may act for every tenant. */
  public static final String ALL = "*";

  /** The tenant an all-tenant caller reads when it names none (CONTRACT.md section 4). */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private Tenants() {}

  /**
   * @return true when {@code name} is a valid tenant name (not {@code *}); false for null
   */
  public static boolean isTenantName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * @return true when {@code name} is a valid tenant name or {@code *}; false for null
   */
  public static boolean isCredentialTenant(String name) {
    return ALL.equals(name) || isTenantName(name);
  }
}

package dev.ledger.api.auth;

import dev.ledger.schemas.LedgerKey;

/**
 * The tenant names a credential may carry: a tenant of CONTRACT.md section 1, or {@code *} for
 * every tenant.
 */
public final class Tenants {
  /** The tenant of a credential that may act for every tenant. */
  public static final String ALL = "*";

  /** The tenant an all-tenant caller reads when it names none (CONTRACT.md section 4). */
  public static final String DEFAULT = "default";

  private Tenants() {}

  /**
   * @return true when {@code name} is a valid tenant name (not {@code *}); false for null
   */
  public static boolean isTenantName(String name) {
    return LedgerKey.isTenantName(name);
  }

  /**
   * @return true when {@code name} is a valid tenant name or {@code *}; false for null
   */
  public static boolean isCredentialTenant(String name) {
    return ALL.equals(name) || isTenantName(name);
  }
}

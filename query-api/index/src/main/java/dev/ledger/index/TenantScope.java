package dev.ledger.index;

/**
 * Who may be seen: one tenant, or every tenant (only for {@code *} credentials that ask for {@code
 * tenant=*}). Every query of {@link LedgerIndex} is filtered by a scope, so a free {@code q} can
 * never reach another tenant's documents.
 *
 * @param tenant the tenant, or null for all tenants
 */
public record TenantScope(String tenant) {

  private static final TenantScope ALL = new TenantScope(null);

  /** Every tenant. */
  public static TenantScope all() {
    return ALL;
  }

  /** Exactly one tenant; {@code tenant} must not be null. */
  public static TenantScope of(String tenant) {
    if (tenant == null) {
      throw new NullPointerException("tenant (use TenantScope.all() for every tenant)");
    }
    return new TenantScope(tenant);
  }

  /** True when this scope covers every tenant. */
  public boolean isAll() {
    return tenant == null;
  }
}

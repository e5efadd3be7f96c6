package dev.ledger.api.internal.routes;

import dev.ledger.index.TenantScope;
import dev.ledger.schemas.avro.ViolationKind;
import java.util.Arrays;
import java.util.List;

/** Small conversions shared by the read routes. */
final class Scopes {
  /** Every violation kind name, for validating {@code violation=} and {@code kind=}. */
  static final List<String> VIOLATIONS =
      Arrays.stream(ViolationKind.values()).map(Enum::name).toList();

  private Scopes() {}

  /**
   * @return the index scope for a tenant, null meaning every tenant
   */
  static TenantScope of(String tenant) {
    return tenant == null ? TenantScope.all() : TenantScope.of(tenant);
  }
}

package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.AlertFilter;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.TenantScope;
import io.javalin.http.Context;

/**
 * The two paged lists of what the ledger noticed: {@code GET /v1/alerts} (violations, filtered by
 * kind, token, principal, actor and time) and {@code GET /v1/revocations} ({@code ?since=} a time),
 * newest first.
 */
public final class NoticeRoutes {
  private final LedgerIndex index;

  /**
   * @param index may be null: then these routes answer 503
   */
  public NoticeRoutes(LedgerIndex index) {
    this.index = index;
  }

  public void alerts(Context ctx) {
    LedgerIndex idx = Pages.require(index, "the index");
    TenantScope scope = Scopes.of(Access.readTenant(ctx, true));
    AlertFilter filter =
        new AlertFilter(
            Params.oneOf(ctx, "kind", Scopes.VIOLATIONS),
            Params.text(ctx, "token"),
            Params.text(ctx, "principal"),
            Params.text(ctx, "actor"),
            Params.instant(ctx, "from"),
            Params.instant(ctx, "to"));
    try {
      Pages.write(ctx, idx.alerts(scope, filter, Pages.request(ctx)), ContractJson::alert);
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
    }
  }

  public void revocations(Context ctx) {
    LedgerIndex idx = Pages.require(index, "the index");
    TenantScope scope = Scopes.of(Access.readTenant(ctx, true));
    try {
      Pages.write(
          ctx,
          idx.revocations(scope, Params.instant(ctx, "since"), Pages.request(ctx)),
          ContractJson::revocation);
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
    }
  }
}

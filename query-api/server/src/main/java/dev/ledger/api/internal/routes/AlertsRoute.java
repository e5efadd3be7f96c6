package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.AlertFilter;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import io.javalin.http.Context;

/** {@code GET /v1/alerts}: violations filtered by kind, token, principal, actor and time, newest first, paged. */
public final class AlertsRoute {
    private final LedgerIndex index;

    /** @param index may be null: then the route answers 503 */
    public AlertsRoute(LedgerIndex index) {
        this.index = index;
    }

    public void handle(Context ctx) {
        LedgerIndex idx = Pages.require(index, "the index");
        String tenant = Access.readTenant(ctx, true);
        AlertFilter filter = new AlertFilter(
            Params.oneOf(ctx, "kind", Scopes.VIOLATIONS),
            Params.text(ctx, "token"),
            Params.text(ctx, "principal"),
            Params.text(ctx, "actor"),
            Params.instant(ctx, "from"),
            Params.instant(ctx, "to"));
        try {
            Pages.write(ctx, idx.alerts(Scopes.of(tenant), filter, Pages.request(ctx)), ContractJson::alert);
        } catch (InvalidQueryException e) {
            throw Pages.invalid(e);
        }
    }
}

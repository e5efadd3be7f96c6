package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import io.javalin.http.Context;

/** {@code GET /v1/revocations}: revocation notices, {@code ?since=} a time, newest first, paged. */
public final class RevocationsRoute {
    private final LedgerIndex index;

    /** @param index may be null: then the route answers 503 */
    public RevocationsRoute(LedgerIndex index) {
        this.index = index;
    }

    public void handle(Context ctx) {
        LedgerIndex idx = Pages.require(index, "the index");
        String tenant = Access.readTenant(ctx, true);
        try {
            Pages.write(ctx, idx.revocations(Scopes.of(tenant), Params.instant(ctx, "since"), Pages.request(ctx)),
                ContractJson::revocation);
        } catch (InvalidQueryException e) {
            throw Pages.invalid(e);
        }
    }
}

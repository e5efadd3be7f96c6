package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import dev.ledger.schemas.avro.TokenNode;
import io.javalin.http.Context;

/** {@code GET /v1/tokens/{id}} and {@code GET /v1/tokens/{id}/descendants}, within the caller's tenant. */
public final class TokenRoutes {
    private final LedgerIndex index;

    /** @param index may be null: then these routes answer 503 */
    public TokenRoutes(LedgerIndex index) {
        this.index = index;
    }

    public void token(Context ctx) {
        ctx.json(ContractJson.token(find(ctx)));
    }

    public void descendants(Context ctx) {
        TokenNode token = find(ctx);
        try {
            Pages.write(ctx, index.descendants(token.getTenant(), token.getTokenId(), Pages.request(ctx)),
                ContractJson::token);
        } catch (InvalidQueryException e) {
            throw Pages.invalid(e);
        }
    }

    private TokenNode find(Context ctx) {
        LedgerIndex idx = Pages.require(index, "the index");
        String tenant = Access.readTenant(ctx, false);
        String id = ctx.pathParam("id");
        return idx.token(tenant, id)
            .orElseThrow(() -> ApiError.notFound("no token '" + id + "' in tenant '" + tenant + "'"));
    }
}

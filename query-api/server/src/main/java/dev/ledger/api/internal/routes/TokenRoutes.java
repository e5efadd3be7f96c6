package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.AuthorityFilter;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.PointInTime;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.avro.TokenNode;
import io.javalin.http.Context;
import java.time.Instant;

/**
 * {@code GET /v1/tokens/{id}} (now or at a point in time), {@code /descendants}, {@code /history}
 * and {@code GET /v1/authority}, within the caller's tenant.
 */
public final class TokenRoutes {
  private final LedgerIndex index;

  /**
   * @param index may be null: then these routes answer 503
   */
  public TokenRoutes(LedgerIndex index) {
    this.index = index;
  }

  /** The token now, or with {@code at} (and {@code known_at}) as it stood then. */
  public void token(Context ctx) {
    PointInTime time = pointInTime(ctx, false);
    if (time == null) {
      ctx.json(ContractJson.token(find(ctx)));
      return;
    }
    LedgerIndex idx = Pages.require(index, "the index");
    String tenant = Access.readTenant(ctx, false);
    String id = ctx.pathParam("id");
    TokenNode token =
        idx.tokenAt(tenant, id, time)
            .orElseThrow(
                () -> {
                  find(ctx); // 404 for a token never indexed, with its own message
                  return ApiError.notFound(
                      "token '"
                          + id
                          + "' in tenant '"
                          + tenant
                          + "' was not issued by "
                          + ContractJson.time(time.at())
                          + (time.knownAt() == null
                              ? ""
                              : " as the ledger knew it at " + ContractJson.time(time.knownAt())));
                });
    ctx.json(ContractJson.token(token));
  }

  /** {@code GET /v1/tokens/{id}/history}: the token's transitions, oldest first, paged. */
  public void history(Context ctx) {
    TokenNode token = find(ctx);
    try {
      Pages.write(
          ctx, index.history(token, Pages.request(ctx), Instant.now()), ContractJson::transition);
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
    }
  }

  /**
   * {@code GET /v1/authority}: tokens held by an actor, or on behalf of a principal, in force at
   * {@code at}.
   */
  public void authority(Context ctx) {
    LedgerIndex idx = Pages.require(index, "the index");
    PointInTime time = pointInTime(ctx, true);
    TenantScope scope = Scopes.of(Access.readTenant(ctx, true));
    AuthorityFilter filter =
        new AuthorityFilter(
            Params.text(ctx, "actor"),
            Params.text(ctx, "principal"),
            Params.text(ctx, "scope"),
            Params.text(ctx, "audience"),
            time);
    try {
      Pages.write(ctx, idx.authority(scope, filter, Pages.request(ctx)), ContractJson::authority);
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
    }
  }

  /**
   * {@code at} and {@code known_at}; null when neither is given and {@code required} is false.
   * Without {@code at}, {@code known_at} alone asks about that same time.
   */
  private static PointInTime pointInTime(Context ctx, boolean required) {
    Instant at = Params.instant(ctx, "at");
    Instant knownAt = Params.instant(ctx, "known_at");
    if (at == null && knownAt == null) {
      if (required) {
        throw ApiError.badParameter(
            "at", "required: an RFC 3339 timestamp like 2026-11-20T09:30:00Z");
      }
      return null;
    }
    return new PointInTime(at != null ? at : knownAt, knownAt);
  }

  public void descendants(Context ctx) {
    TokenNode token = find(ctx);
    try {
      Pages.write(
          ctx,
          index.descendants(token.getTenant(), token.getTokenId(), Pages.request(ctx)),
          ContractJson::token);
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
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

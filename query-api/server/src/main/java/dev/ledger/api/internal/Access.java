package dev.ledger.api.internal;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.KeyStore;
import dev.ledger.api.auth.Tenants;
import dev.ledger.schemas.LedgerKey;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication and tenant scoping (CONTRACT.md section 5). {@link #authenticate} runs before
 * every matched route and stores the {@link Caller}; handlers then ask {@link #readTenant} which
 * tenant they may read.
 */
public final class Access {
  private static final String CALLER = "ledger.caller";
  private static final String CHECK = "ledger.credential.check";
  private static final String BEARER = "bearer ";

  private final KeyStore keys;
  private final Duration recheck;

  /**
   * @param keys the credential verifier, or null when none is configured (then every protected
   *     route is 503)
   * @param recheck how often an open stream asks again whether its credential is still valid
   */
  public Access(KeyStore keys, Duration recheck) {
    this.keys = keys;
    this.recheck = recheck;
  }

  /**
   * Checks the bearer credential against the route's {@link Requirement}.
   *
   * @throws ApiError 401 without a valid credential, 403 when it lacks the permission the route
   *     requires
   */
  public void authenticate(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty() || roles.contains(Requirement.OPEN)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ApiError.unauthorized("missing credential: send 'Authorization: Bearer <key>'", false);
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiError.unauthorized("unsupported authorization scheme: use 'Bearer <key>'", false);
    }
    if (keys == null) {
      throw ApiError.unavailable("no credential store is configured on this server");
    }
    String credential = header.substring(BEARER.length()).strip();
    Optional<Caller> caller = keys.authenticate(credential);
    if (caller.isEmpty()) {
      throw ApiError.unauthorized("invalid or revoked credential", true);
    }
    for (RouteRole role : roles) {
      if (role instanceof Requirement r && !r.allows(caller.get())) {
        throw ApiError.forbidden(
            "this credential may not call "
                + ctx.method()
                + " "
                + ctx.path()
                + ": it needs "
                + r.needs());
      }
    }
    ctx.attribute(CALLER, caller.get());
    ctx.attribute(
        CHECK, new CredentialCheck(keys, credential, caller.get(), recheck, Clock.systemUTC()));
  }

  /**
   * @return the check of the credential that {@link #authenticate} accepted, for long responses and
   *     streams
   */
  public static CredentialCheck credentialCheck(Context ctx) {
    CredentialCheck check = ctx.attribute(CHECK);
    if (check == null) {
      throw new IllegalStateException(
          "route has no authenticated caller: is it registered with a requirement?");
    }
    return check;
  }

  /**
   * @return the caller that {@link #authenticate} stored; never null on a protected route
   */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      throw new IllegalStateException(
          "route has no authenticated caller: is it registered with a requirement?");
    }
    return caller;
  }

  /**
   * The tenant a read may see: a tenant credential sees only its own tenant; a {@code *} credential
   * names one with {@code ?tenant=} (default {@code default}) or, where {@code allowAll}, every
   * tenant with {@code tenant=*}.
   *
   * @param allowAll true for list routes, which accept {@code tenant=*}
   * @return the tenant, or null for every tenant
   * @throws ApiError 400 for a malformed tenant, 403 for a tenant the caller may not read
   */
  public static String readTenant(Context ctx, boolean allowAll) {
    Caller caller = caller(ctx);
    String asked = ctx.queryParam("tenant");
    if (asked != null && !Tenants.isCredentialTenant(asked)) {
      throw ApiError.badParameter("tenant", "expected " + LedgerKey.tenantRule() + " or *");
    }
    String bound = boundTenant(ctx);
    if (bound != null) {
      return bound;
    }
    if (asked == null) {
      return Tenants.DEFAULT;
    }
    if (Tenants.ALL.equals(asked)) {
      if (!allowAll) {
        throw ApiError.badParameter("tenant", "'*' is accepted by lists only: name one tenant");
      }
      return null;
    }
    return asked;
  }

  /**
   * The tenant a tenant credential is bound to, checked against {@code ?tenant=}; null for a {@code
   * *} credential, which names the tenant itself.
   *
   * @throws ApiError 403 when a tenant credential names another tenant
   */
  public static String boundTenant(Context ctx) {
    Caller caller = caller(ctx);
    if (caller.allTenants()) {
      return null;
    }
    String asked = ctx.queryParam("tenant");
    if (asked != null && !asked.equals(caller.tenant())) {
      throw ApiError.forbidden("this credential may only read tenant '" + caller.tenant() + "'");
    }
    return caller.tenant();
  }
}

package dev.ledger.example.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.example.UseReporter;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.client.Events;
import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationSource;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /fares?route=...}: one revocation lookup (memory only), the answer, and a queued
 * {@code token.used} report. Tokens are opaque ids in this demo: the only check is revocation,
 * which is the part the ledger provides; a real server would verify signature, expiry and scope
 * first.
 */
public final class FaresRoute {

  private static final Logger LOG = LoggerFactory.getLogger(FaresRoute.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer ";

  private final String tenant;
  private final String audience;
  private final RevocationSource revocations;
  private final UseReporter reporter;

  public FaresRoute(
      String tenant, String audience, RevocationSource revocations, UseReporter reporter) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
  }

  public void handle(Context ctx) {
    String requestId =
        Optional.ofNullable(ctx.header("X-Request-Id"))
            .filter(s -> !s.isBlank())
            .orElseGet(() -> UUID.randomUUID().toString());
    ctx.header("X-Request-Id", requestId);
    String authorization = ctx.header("Authorization");
    if (authorization == null
        || !authorization.startsWith(BEARER)
        || authorization.substring(BEARER.length()).isBlank()) {
      // No token, no use to report: the ledger only records uses of tokens.
      ctx.header("WWW-Authenticate", "Bearer");
      reply(
          ctx,
          401,
          error("missing bearer token: send Authorization: Bearer <token_id>", requestId));
      return;
    }
    String tokenId = authorization.substring(BEARER.length()).strip();
    String route = Optional.ofNullable(ctx.queryParam("route")).orElse("any");
    String action =
        ctx.method().name()
            + " "
            + ctx.path()
            + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    String denial = denial(tokenId);
    report(tokenId, action, ctx.header("X-Agent"), denial, requestId);
    if (denial != null) {
      reply(ctx, 403, error(denial, requestId));
    } else {
      reply(ctx, 200, fares(route, tokenId, requestId));
    }
  }

  /** Why the token is refused, or null when it is accepted. */
  private String denial(String tokenId) {
    // Checked before isRevoked, which also says true while loading (fail closed), to give the right
    // reason.
    if (!revocations.isCaughtUp()) {
      return "revocations not loaded yet: refusing every token until they are";
    }
    if (!revocations.isRevoked(tenant, tokenId)) {
      return null;
    }
    return revocations.lookup(tenant, tokenId).map(FaresRoute::describe).orElse("token revoked");
  }

  private static String describe(Revocation r) {
    return r.inherited()
        ? "token revoked at " + r.revokedAt() + " through the revocation of " + r.revocationCause()
        : "token revoked at " + r.revokedAt();
  }

  private void report(
      String tokenId, String action, String actor, String denial, String requestId) {
    try {
      reporter.report(
          Events.used(tokenId, audience, action, denial == null)
              .tenant(tenant)
              .source(audience)
              .actor(actor)
              .reason(denial)
              .requestId(requestId)
              .build());
    } catch (InvalidEventException e) {
      // A token id or header the contract does not accept (too long, ...): answer anyway, report
      // nothing.
      LOG.debug("not reporting the use of token {}: {}", tokenId, e.getMessage());
    }
  }

  private ObjectNode fares(String route, String tokenId, String requestId) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("route", route)
            .put("token_id", tokenId)
            .put("request_id", requestId);
    // Made-up but stable prices, so repeated calls agree.
    int base = 90 + Math.floorMod(route.hashCode(), 400);
    body.putArray("fares")
        .add(JSON.createObjectNode().put("carrier", "XA").put("price_eur", base))
        .add(JSON.createObjectNode().put("carrier", "YB").put("price_eur", base + 37));
    return body;
  }

  private static ObjectNode error(String message, String requestId) {
    return JSON.createObjectNode().put("error", message).put("request_id", requestId);
  }

  private static void reply(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }
}

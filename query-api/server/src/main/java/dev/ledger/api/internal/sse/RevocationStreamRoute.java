package dev.ledger.api.internal.sse;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.CredentialCheck;
import dev.ledger.api.internal.FairShare;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.RevocationPosition;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/revocations/stream}: server-sent events, {@code id:} the client's {@link
 * RevocationPosition} after the event, {@code event:} {@code revocation} or {@code tombstone},
 * {@code data:} the notice JSON; resumable with {@code Last-Event-ID} at any instance. Every check
 * that can fail (tenant, {@code Last-Event-ID}, capacity) runs before the event stream starts, so
 * failures still get a proper status and error body.
 */
public final class RevocationStreamRoute {
  private final RevocationHub hub;

  /**
   * @param hub may be null when this server has no index or indexer: then the route answers 503
   */
  public RevocationStreamRoute(RevocationHub hub) {
    this.hub = hub;
  }

  public void handle(Context ctx) {
    if (hub == null) {
      throw ApiError.unavailable(
          "the revocation stream needs the index and indexer, which do not run here");
    }
    String tenant = Access.readTenant(ctx, true);
    RevocationPosition resumeAfter = lastEventId(ctx);
    if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
      ctx.status(200).contentType("text/event-stream");
      return; // the checks passed; a HEAD subscribes to nothing
    }
    FairShare.Lease lease = hub.reserve(Access.caller(ctx).keyId());
    CredentialCheck credential = Access.credentialCheck(ctx);
    try {
      startStream(ctx);
      // The async task only registers the subscriber; writing happens on the subscriber's own
      // thread.
      ctx.async(
          task -> task.timeout = 0,
          () -> hub.subscribe(new SseClient(ctx), tenant, resumeAfter, lease, credential));
    } catch (RuntimeException | Error e) {
      lease.close();
      throw e;
    }
  }

  /**
   * Sends the event-stream headers. Done here rather than with Javalin's SseHandler because that
   * one streams only when the request's Accept names text/event-stream, and curl or a plain HTTP
   * client send no such header.
   */
  private static void startStream(Context ctx) {
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setCharacterEncoding("UTF-8");
    res.setContentType("text/event-stream");
    res.addHeader("Cache-Control", "no-cache");
    res.addHeader("Connection", "close");
    // Tells reverse proxies (nginx) not to buffer the stream.
    res.addHeader("X-Accel-Buffering", "no");
    try {
      res.flushBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException("client went away before the stream started", e);
    }
  }

  /** The {@code Last-Event-ID}, or null without one (live notices only). */
  private static RevocationPosition lastEventId(Context ctx) {
    String value = ctx.header("Last-Event-ID");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return RevocationPosition.parse(value);
    } catch (InvalidQueryException e) {
      // A client that kept an id of contract v1.16 (an index's own sequence) lands here too: the
      // advice lets it recover without knowing why.
      throw ApiError.invalid(
          e,
          "Reconnect with 'Last-Event-ID: 0' to replay every notice in force, or without"
              + " Last-Event-ID for new notices only");
    }
  }
}

package dev.ledger.api.internal.routes;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Permission;
import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.FairShare;
import dev.ledger.ingest.IngestResult;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.Submitter;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/events}: hands the body to the {@link IngestService}, which validates the whole
 * batch, enforces that every event belongs to the caller's tenant and is of a type its permissions
 * cover, and records the caller's id on every event; maps its verdict to 202, 400, 403, 415 or 503.
 * Requests in flight are limited in total and per credential; more are told 429 so that a burst
 * cannot exhaust Jetty's threads while each waits for Kafka's acknowledgement, and one producer
 * cannot take every permit. A permit is taken before the body is read, so the body must arrive
 * within {@code bodyTimeout} (408 otherwise): a producer trickling bytes cannot hold a permit for
 * long.
 */
public final class EventsRoute {
  private static final int CHUNK = 64 * 1024;

  /** How far past the limit a declared body is still read (and dropped) before the 413. */
  private static final long DRAIN_BYTES = 1024 * 1024;

  private final IngestService ingest;
  private final long maxBytes;
  private final FairShare inFlight;
  private final Duration bodyTimeout;

  /**
   * @param ingest may be null: then the route answers 503
   * @param maxBytes largest accepted body
   * @param inFlight concurrent requests, in total and per credential, before 429
   * @param bodyTimeout longest time the body may take to arrive before 408
   */
  public EventsRoute(
      IngestService ingest, long maxBytes, FairShare inFlight, Duration bodyTimeout) {
    this.ingest = ingest;
    this.maxBytes = maxBytes;
    this.inFlight = inFlight;
    this.bodyTimeout = bodyTimeout;
  }

  public void handle(Context ctx) {
    IngestService service = Pages.require(ingest, "ingest");
    Caller caller = Access.caller(ctx);
    try (FairShare.Lease permit = inFlight.acquire(caller.keyId())) {
      IngestResult result = service.submit(readBody(ctx), ctx.contentType(), submitter(caller));
      answer(ctx, result);
    }
  }

  /**
   * The caller as ingest sees it: its id goes on every event, its permissions decide which types it
   * may report.
   */
  private static Submitter submitter(Caller caller) {
    return new Submitter(caller.keyId(), caller.tenant(), Permission.ids(caller.permissions()));
  }

  private static void answer(Context ctx, IngestResult result) {
    switch (result) {
      case IngestResult.Accepted accepted ->
          ctx.status(202).json(Map.of("accepted", accepted.count()));
      case IngestResult.Invalid invalid ->
          throw ApiError.badRequest(
              invalid.total()
                  + " problem(s) in the batch"
                  + (invalid.total() > invalid.problems().size()
                      ? ", the first " + invalid.problems().size() + " listed"
                      : "")
                  + "; nothing was written",
              problems(invalid.problems()));
      case IngestResult.Forbidden forbidden ->
          throw ApiError.forbidden(forbidden.message(), problems(forbidden.problems()));
      case IngestResult.UnsupportedMediaType unsupported ->
          throw ApiError.unsupportedMediaType(unsupported.message());
      case IngestResult.Unavailable unavailable ->
          throw ApiError.unavailable(unavailable.message());
    }
  }

  private static List<Map<String, Object>> problems(List<Problem> problems) {
    return problems.stream()
        .map(
            p -> {
              Map<String, Object> m = new java.util.LinkedHashMap<>();
              m.put("index", p.index());
              m.put("field", p.field());
              m.put("reason", p.reason());
              return m;
            })
        .toList();
  }

  /**
   * Reads and drops a body that is a little too large before the 413 goes out. Answered while the
   * client is still sending, the 413 is followed by the server closing a connection with unread
   * data, whose reset can reach the client before it reads the answer: it then sees the connection
   * fail instead of a 413 (EventsIT, now and then in CI). A body far beyond the limit is not read:
   * closing on it is the point of the limit.
   */
  private void drain(Context ctx) {
    long deadline = System.nanoTime() + bodyTimeout.toNanos();
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] chunk = new byte[CHUNK];
      while (in.read(chunk) >= 0 && System.nanoTime() - deadline < 0) {
        // dropped
      }
    } catch (IOException e) {
      // The client went away: the 413 is still the answer, if anyone reads it.
    }
  }

  private byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      if (declared - maxBytes <= DRAIN_BYTES) {
        drain(ctx);
      }
      throw ApiError.payloadTooLarge(maxBytes);
    }
    // A chunked body declares no length: read at most one byte past the limit to tell. Each read
    // blocks at most
    // the connector's idle timeout; the deadline bounds the whole body.
    long deadline = System.nanoTime() + bodyTimeout.toNanos();
    int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream body =
          new ByteArrayOutputStream((int) Math.min(limit, Math.max(declared, CHUNK)));
      byte[] chunk = new byte[CHUNK];
      int n;
      while (body.size() < limit
          && (n = in.read(chunk, 0, Math.min(CHUNK, limit - body.size()))) >= 0) {
        body.write(chunk, 0, n);
        if (System.nanoTime() - deadline > 0) {
          throw ApiError.requestTimeout(
              "the request body did not arrive within "
                  + bodyTimeout.toSeconds()
                  + " s; send it faster or in smaller batches");
        }
      }
      if (body.size() > maxBytes) {
        throw ApiError.payloadTooLarge(maxBytes);
      }
      return body.toByteArray();
    } catch (IOException e) {
      if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
        // Jetty's idle timeout: the client stopped sending mid-body.
        throw ApiError.requestTimeout("the request body stalled; nothing was written");
      }
      throw ApiError.badRequest("could not read the request body: " + e.getMessage(), null);
    }
  }
}

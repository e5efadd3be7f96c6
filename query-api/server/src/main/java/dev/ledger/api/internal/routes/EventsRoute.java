package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.ingest.IngestResult;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.Problem;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /v1/events}: hands the body to the {@link IngestService}, which validates the whole batch and enforces
 * that every event belongs to the caller's tenant, and maps its verdict to 202, 400, 403, 415 or 503. At most
 * {@code maxInFlight} requests are handled at once; more are told 429 so that a burst cannot exhaust Jetty's threads
 * while each waits for Kafka's acknowledgement.
 */
public final class EventsRoute {
    private final IngestService ingest;
    private final long maxBytes;
    private final Semaphore inFlight;

    /**
     * @param ingest      may be null: then the route answers 503
     * @param maxBytes    largest accepted body
     * @param maxInFlight concurrent requests before 429
     */
    public EventsRoute(IngestService ingest, long maxBytes, int maxInFlight) {
        this.ingest = ingest;
        this.maxBytes = maxBytes;
        this.inFlight = new Semaphore(maxInFlight);
    }

    public void handle(Context ctx) {
        IngestService service = Pages.require(ingest, "ingest");
        String tenant = Access.caller(ctx).tenant();
        if (!inFlight.tryAcquire()) {
            throw ApiError.tooManyRequests("too many event batches in flight; retry shortly");
        }
        try {
            IngestResult result = service.submit(readBody(ctx), ctx.contentType(), tenant);
            answer(ctx, result);
        } finally {
            inFlight.release();
        }
    }

    private static void answer(Context ctx, IngestResult result) {
        switch (result) {
            case IngestResult.Accepted accepted -> ctx.status(202).json(Map.of("accepted", accepted.count()));
            case IngestResult.Invalid invalid -> throw ApiError.badRequest(invalid.total() + " problem(s) in the batch"
                + (invalid.total() > invalid.problems().size() ? ", the first " + invalid.problems().size() + " listed" : "")
                + "; nothing was written", problems(invalid.problems()));
            case IngestResult.Forbidden forbidden ->
                throw ApiError.forbidden(forbidden.message(), problems(forbidden.problems()));
            case IngestResult.UnsupportedMediaType unsupported ->
                throw ApiError.unsupportedMediaType(unsupported.message());
            case IngestResult.Unavailable unavailable -> throw ApiError.unavailable(unavailable.message());
        }
    }

    private static List<Map<String, Object>> problems(List<Problem> problems) {
        return problems.stream()
            .map(p -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("index", p.index());
                m.put("field", p.field());
                m.put("reason", p.reason());
                return m;
            })
            .toList();
    }

    private byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw ApiError.payloadTooLarge(maxBytes);
        }
        // A chunked body declares no length: read at most one byte past the limit to tell.
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw ApiError.payloadTooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("could not read the request body: " + e.getMessage(), null);
        }
    }
}

package dev.ledger.api.internal.routes;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a response body as it is produced, straight to the connection, so memory stays constant whatever its size.
 * Everything that can fail with a status must be checked before: once the first bytes are out the status is sent.
 */
final class Streaming {
    /** The request attribute that records why a stream ended early (the client went away). */
    static final String ABORTED = "ledger.stream.aborted";

    /** Produces a body onto {@code out}; may throw {@code E}, its own checked failure. */
    @FunctionalInterface
    interface Body<E extends Exception> {
        void writeTo(OutputStream out) throws IOException, E;
    }

    private Streaming() {
    }

    /** Answers 200 with {@code contentType} and the body {@code body} writes; a client gone mid-stream is no error. */
    static <E extends Exception> void write(Context ctx, String contentType, Body<E> body) throws E {
        ctx.status(200).contentType(contentType);
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            return; // the status and headers are the answer; producing the body would be work for nothing
        }
        try (OutputStream out = ctx.outputStream()) {
            body.writeTo(out);
        } catch (IOException | UncheckedIOException e) {
            // The client went away mid-stream; nothing more can be said to it.
            ctx.attribute(ABORTED, e.toString());
        }
    }
}

package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.CredentialCheck;
import dev.ledger.api.internal.FairShare;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a response body as it is produced, straight to the connection, so memory stays constant
 * whatever its size. Everything that can fail with a status must be checked before: once the first
 * bytes are out the status is sent.
 *
 * <p>Long responses (exports, NDJSON audit streams) hold a connection and a thread for as long as
 * they run, so they are limited in number in total and per credential (429 beyond), and each ends
 * within about {@link CredentialCheck#recheck()} of its credential being revoked or expiring.
 */
public final class Streaming {
  /** The request attribute that records why a stream ended early (the client went away). */
  static final String ABORTED = "ledger.stream.aborted";

  /** Produces a body onto {@code out}; may throw {@code E}, its own checked failure. */
  @FunctionalInterface
  interface Body<E extends Exception> {
    void writeTo(OutputStream out) throws IOException, E;
  }

  private final FairShare slots;

  /**
   * @param slots the long responses that may run at once, in total and per credential
   */
  public Streaming(FairShare slots) {
    this.slots = slots;
  }

  /**
   * Answers 200 with {@code contentType} and the body {@code body} writes; a client gone
   * mid-stream, or a credential revoked or expired mid-stream, ends it without an error (the status
   * is already out).
   *
   * @throws ApiError 429 when the caller or the server has too many long responses running
   */
  <E extends Exception> void write(Context ctx, String contentType, Body<E> body) throws E {
    if (ctx.method() == HandlerType.HEAD) {
      ctx.status(200).contentType(contentType);
      return; // the status and headers are the answer; producing the body would be work for nothing
    }
    CredentialCheck credential = Access.credentialCheck(ctx);
    try (FairShare.Lease lease = slots.acquire(Access.caller(ctx).keyId())) {
      ctx.status(200).contentType(contentType);
      try (OutputStream out = new Guarded(ctx.outputStream(), credential)) {
        body.writeTo(out);
      } catch (IOException | UncheckedIOException e) {
        // The client went away mid-stream, or the credential ended; nothing more can be said to it.
        ctx.attribute(ABORTED, e.toString());
      }
    }
  }

  /** Refuses every write once the credential is no longer valid, which ends the stream. */
  private static final class Guarded extends FilterOutputStream {
    private final CredentialCheck credential;

    Guarded(OutputStream out, CredentialCheck credential) {
      super(out);
      this.credential = credential;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check();
      out.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      check();
      out.write(b);
    }

    private void check() throws IOException {
      if (!credential.stillValid()) {
        throw new IOException("the credential was revoked or has expired");
      }
    }
  }
}

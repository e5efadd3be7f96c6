package dev.ledger.api.internal.routes;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the hand-written OpenAPI 3.1 description shipped as a resource. */
public final class OpenApiRoute {
  /** Class-path location of the document. */
  public static final String RESOURCE = "/dev/ledger/api/openapi.json";

  private final byte[] document;

  public OpenApiRoute() {
    this.document = load();
  }

  /**
   * @return the document's bytes (UTF-8 JSON)
   */
  public static byte[] load() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void handle(Context ctx) {
    ctx.contentType("application/json").result(document);
  }
}

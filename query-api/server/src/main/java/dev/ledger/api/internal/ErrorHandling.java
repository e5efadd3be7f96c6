package dev.ledger.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the handlers that make every failure, including Javalin's own (unknown path, wrong
 * method, body too large), answer with the error shape and never a stack trace or an HTML page.
 */
public final class ErrorHandling {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

  private ErrorHandling() {}

  /** Registers the exception handlers on {@code config}. */
  public static void install(JavalinConfig config, ObjectMapper json) {
    config.routes.exception(ApiError.class, (e, ctx) -> write(ctx, json, e));
    config.routes.exception(
        HttpResponseException.class, (e, ctx) -> write(ctx, json, fromJavalin(e)));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          String id = UUID.randomUUID().toString();
          LOG.error("unexpected error {} on {} {}", id, ctx.method(), ctx.path(), e);
          write(
              ctx,
              json,
              new ApiError(
                  500, "internal", "unexpected error, id " + id, Map.of("id", id), Map.of()));
        });
  }

  /** Writes {@code error} as the response, replacing whatever was set before. */
  public static void write(Context ctx, ObjectMapper json, ApiError error) {
    ObjectNode body = json.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("code", error.code());
    inner.put("message", error.getMessage());
    if (error.details() != null) {
      inner.set("details", json.valueToTree(error.details()));
    }
    error.headers().forEach(ctx::header);
    ctx.status(error.status()).json(body);
  }

  private static ApiError fromJavalin(HttpResponseException e) {
    int status = e.getStatus();
    String message =
        e.getMessage() == null || e.getMessage().isBlank() ? reason(status) : e.getMessage();
    Object details = e.getDetails().isEmpty() ? null : e.getDetails();
    return new ApiError(status, code(status), message, details, Map.of());
  }

  /**
   * @return the error code for an HTTP status, for failures that were not raised as an {@link
   *     ApiError}
   */
  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 503 -> "unavailable";
      default -> HttpStatus.forStatus(status).name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * @return the standard reason phrase of a status
   */
  static String reason(int status) {
    return HttpStatus.forStatus(status).getMessage();
  }
}

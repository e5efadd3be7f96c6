package dev.ledger.api.internal;

import dev.ledger.index.InvalidQueryException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A failure answered with CONTRACT.md's error shape: {@code {"error": {"code", "message",
 * "details"?}}}. Thrown by handlers and filters; {@link ErrorHandling} turns it into the response.
 * Carries no stack trace: it is an answer, not a bug.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final Object details;
  private final Map<String, String> headers;

  /**
   * @param status HTTP status
   * @param code stable machine-readable code, not null
   * @param message for people, not null
   * @param details JSON-writable value or null (omitted from the answer)
   * @param headers extra response headers, not null
   */
  public ApiError(
      int status, String code, String message, Object details, Map<String, String> headers) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.details = details;
    this.headers = Map.copyOf(headers);
  }

  public static ApiError badRequest(String message, Object details) {
    return new ApiError(400, "bad_request", message, details, Map.of());
  }

  /**
   * The index's refusal of a query (a bad cursor, a malformed {@code q}, a bad {@code
   * Last-Event-ID}, ...) as a 400 naming each bad parameter with its reason.
   */
  public static ApiError invalid(InvalidQueryException e) {
    return invalid(e, null);
  }

  /** {@link #invalid(InvalidQueryException)} with {@code advice} (what to do instead) appended. */
  public static ApiError invalid(InvalidQueryException e, String advice) {
    List<Map<String, String>> details =
        e.problems().stream()
            .map(p -> Map.of("parameter", p.parameter(), "reason", p.message()))
            .toList();
    return badRequest(advice == null ? e.getMessage() : e.getMessage() + ". " + advice, details);
  }

  /** A query parameter that cannot be used; details name it so clients can point at the field. */
  public static ApiError badParameter(String parameter, String reason) {
    return badRequest(
        "invalid parameter '" + parameter + "': " + reason,
        List.of(Map.of("parameter", parameter, "reason", reason)));
  }

  public static ApiError unauthorized(String message, boolean credentialPresented) {
    // RFC 6750 section 3: say which scheme, and flag a bad token apart from a missing one.
    String challenge =
        credentialPresented
            ? "Bearer realm=\"ledger\", error=\"invalid_token\""
            : "Bearer realm=\"ledger\"";
    return new ApiError(401, "unauthorized", message, null, Map.of("WWW-Authenticate", challenge));
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message, null, Map.of());
  }

  public static ApiError forbidden(String message, Object details) {
    return new ApiError(403, "forbidden", message, details, Map.of());
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null, Map.of());
  }

  public static ApiError requestTimeout(String message) {
    return new ApiError(408, "request_timeout", message, null, Map.of("Connection", "close"));
  }

  public static ApiError payloadTooLarge(long max) {
    return new ApiError(
        413, "payload_too_large", "request body is larger than " + max + " bytes", null, Map.of());
  }

  public static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, "unsupported_media_type", message, null, Map.of());
  }

  public static ApiError tooManyRequests(String message) {
    return new ApiError(429, "too_many_requests", message, null, Map.of("Retry-After", "1"));
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message, null, Map.of("Retry-After", "5"));
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /**
   * @return the details value, or null when there are none
   */
  public Object details() {
    return details;
  }

  public Map<String, String> headers() {
    return headers;
  }
}

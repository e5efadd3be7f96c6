package dev.ledger.ops.client;

import com.fasterxml.jackson.databind.JsonNode;

/** An API call failed; the message is fit to show a user as it is. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient JsonNode body;

  public ApiException(String message) {
    this(message, 0, null);
  }

  public ApiException(String message, int status, JsonNode body) {
    super(message);
    this.status = status;
    this.body = body;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The parsed error body, or null. */
  public JsonNode body() {
    return body;
  }
}

package dev.ledger.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (requests too malformed to reach Javalin: a bad request line, an
 * invalid {@code Content-Length}, an ambiguous path) in the API's error shape instead of Jetty's
 * HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
  private static final String JSON = "application/json";

  private final ObjectMapper json;

  public JsonErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JSON);
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  private byte[] body(int status, String reason) {
    ObjectNode body = json.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", ErrorHandling.code(status));
    error.put(
        "message", reason == null || reason.isBlank() ? ErrorHandling.reason(status) : reason);
    try {
      return json.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serializes", e);
    }
  }
}

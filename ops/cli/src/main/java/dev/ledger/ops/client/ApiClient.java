package dev.ledger.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Calls the ledger's HTTP API with a bearer key and turns every failure into an {@link
 * ApiException} with a readable message (the server's error message when it sent one).
 *
 * <p>The key comes from {@code LEDGER_KEY}, else from {@code <data dir>/admin.key}.
 */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String key;
  private final HttpClient http;

  public ApiClient(URI base, String key) {
    this.base = Objects.requireNonNull(base, "base");
    this.key = Objects.requireNonNull(key, "key");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Finds the key: {@code explicit}, else {@code LEDGER_KEY}, else the admin key file. */
  public static String resolveKey(String explicit, Path adminKeyFile) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    String env = System.getenv("LEDGER_KEY");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.readString(adminKeyFile).strip();
    } catch (IOException e) {
      throw new ApiException(
          "no API key: set LEDGER_KEY, pass --key, or run where "
              + adminKeyFile
              + " exists (created by 'ledger up')");
    }
  }

  public JsonNode get(String path, Map<String, String> query) {
    return send(HttpRequest.newBuilder(uri(path, query)).GET());
  }

  public JsonNode postNdjson(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path, Map.of()))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** As {@link #postNdjson} but returns status and body without throwing on a 4xx. */
  public Response postNdjsonRaw(String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path, Map.of()))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = exchange(b);
    return new Response(r.statusCode(), parse(r.body()));
  }

  /**
   * Any JSON request: {@code body} (may be null) as {@code application/json}; throws {@link
   * ApiException} on a 4xx or 5xx, returns the parsed answer (null when empty, as for a 204).
   */
  public JsonNode json(String method, String path, Map<String, String> query, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path, query));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return send(b);
  }

  /** Status and parsed body (null when the body is not JSON). */
  public record Response(int status, JsonNode body) {}

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> r = exchange(request);
    JsonNode body = parse(r.body());
    if (r.statusCode() >= 400) {
      String message =
          body != null && body.path("error").has("message")
              ? body.path("error").path("message").asText()
              : r.body();
      throw new ApiException("HTTP " + r.statusCode() + ": " + message, r.statusCode(), body);
    }
    return body;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return http.send(
          request
              .header("Authorization", "Bearer " + key)
              .header("Accept", "application/json")
              .timeout(Duration.ofSeconds(60))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new ApiException(
          "cannot reach the ledger at "
              + base
              + " (is 'ledger up' running? --url sets the address)");
    } catch (IOException e) {
      throw new ApiException("request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    }
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  URI uri(String path, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&");
    new LinkedHashMap<>(query)
        .forEach(
            (k, v) -> {
              if (v != null) {
                q.add(enc(k) + "=" + enc(v));
              }
            });
    String s = base.toString().replaceAll("/+$", "") + path + (q.length() == 0 ? "" : "?" + q);
    return URI.create(s);
  }

  /** Percent-encodes one path segment or query value. */
  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package dev.ledger.bench.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Minimal HTTP calls to the ledger API for load generation: one shared {@link HttpClient}
 * (HTTP/1.1, kept-alive connections), bodies as strings, no JSON parsing on the timed path.
 * Thread-safe.
 */
public final class ApiCalls {

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the body as text
   */
  public record Answer(int status, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final String key;
  private final Duration timeout;

  /**
   * Calls the API at {@code base} (e.g. {@code http://127.0.0.1:8080}) with the bearer {@code key};
   * a request not answered within 30 s fails.
   */
  public ApiCalls(String base, String key) {
    this(base, key, Duration.ofSeconds(30));
  }

  /**
   * As {@link #ApiCalls(String, String)}, waiting up to {@code timeout} for each answer: longer
   * than the ledger's own deadline when the test needs the ledger's answer to a stalled write (a
   * 503), not the client's.
   */
  public ApiCalls(String base, String key, Duration timeout) {
    this.base = base;
    this.key = key;
    this.timeout = timeout;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String base() {
    return base;
  }

  /** GET {@code pathAndQuery} (already encoded; see {@link #enc}). */
  public Answer get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
  }

  /** POST an NDJSON body. */
  public Answer postNdjson(String path, String ndjson) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
  }

  /**
   * Sends any request with the bearer key: {@code headers} on top, {@code body} for POST (empty
   * otherwise). With {@code statusOnly} (an endless server-sent-event stream) only the status is
   * read and the connection closed.
   *
   * @throws UncheckedIOException when no answer came (refused, reset, or none within the timeout)
   */
  public Answer send(
      String method,
      String pathAndQuery,
      java.util.Map<String, String> headers,
      byte[] body,
      boolean statusOnly) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .method(
                method,
                body.length == 0 && !method.equals("POST")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    if (!statusOnly) {
      return send(b);
    }
    try {
      HttpResponse<java.io.InputStream> r =
          client.send(
              b.header("Authorization", "Bearer " + key).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      r.body().close();
      return new Answer(r.statusCode(), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * GET {@code pathAndQuery} as a stream, for answers too large to hold (an NDJSON audit trail, an
   * export); the caller closes it.
   *
   * @throws IllegalStateException when the status is not 200 (with the body)
   */
  public java.io.InputStream getStream(String pathAndQuery) {
    try {
      HttpResponse<java.io.InputStream> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                  .header("Authorization", "Bearer " + key)
                  .timeout(Duration.ofMinutes(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        try (java.io.InputStream in = r.body()) {
          throw new IllegalStateException(
              "GET "
                  + pathAndQuery
                  + ": "
                  + r.statusCode()
                  + " "
                  + new String(in.readNBytes(2000), StandardCharsets.UTF_8));
        }
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          client.send(
              request.header("Authorization", "Bearer " + key).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** URL-encodes a query value. */
  public static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

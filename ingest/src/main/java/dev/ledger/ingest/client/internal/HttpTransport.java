package dev.ledger.ingest.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.client.LedgerClientException;
import dev.ledger.ingest.internal.Json;
import dev.ledger.schemas.avro.LedgerEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/events} with a bearer key, as NDJSON. 2xx is success; 408, 429 and 5xx (and
 * network failures) may pass and are retryable; any other status is final. An error body {@code
 * {"error": {"code", "message", "details"}}} gives the message, and {@code details}, when it is a
 * list of {@code {index, field, reason}} (or an object holding one as {@code problems}), gives the
 * problems.
 */
public final class HttpTransport implements Transport {

  private final HttpClient http;
  private final URI endpoint;
  private final String bearerKey;
  private final Duration requestTimeout;

  /**
   * @param baseUri the ledger's base address, e.g. {@code http://127.0.0.1:8080}
   * @param bearerKey a producer (or admin) API key or JWT
   * @param requestTimeout the longest one attempt may take
   */
  public HttpTransport(URI baseUri, String bearerKey, Duration requestTimeout) {
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    String base = baseUri.toString();
    this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "v1/events");
    this.bearerKey = bearerKey;
    this.requestTimeout = requestTimeout;
  }

  @Override
  public void deliver(List<LedgerEvent> events) {
    String body =
        events.stream().map(EventJson::toJson).collect(Collectors.joining("\n", "", "\n"));
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-ndjson")
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + bearerKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LedgerClientException(
          -1, true, "cannot reach " + endpoint + ": " + e, List.of(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerClientException(-1, false, "interrupted while sending", List.of(), e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return;
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    JsonNode error = errorOf(response.body());
    String message =
        "the ledger answered "
            + status
            + (error.hasNonNull("message") ? ": " + error.get("message").asText() : "");
    throw new LedgerClientException(
        status, retryable, message, problemsOf(error.path("details")), null, retryAfter(response));
  }

  private static JsonNode errorOf(String body) {
    try {
      return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body).path("error");
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private static List<Problem> problemsOf(JsonNode details) {
    JsonNode list = details.isObject() ? details.path("problems") : details;
    List<Problem> problems = new ArrayList<>();
    for (JsonNode item : list) {
      if (item.isObject() && item.hasNonNull("reason")) {
        problems.add(
            new Problem(
                item.path("index").asInt(-1),
                item.hasNonNull("field") ? item.get("field").asText() : null,
                item.get("reason").asText()));
      }
    }
    return problems;
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
              } catch (NumberFormatException e) {
                return Duration.ZERO; // an HTTP-date: the backoff policy decides
              }
            })
        .orElse(Duration.ZERO);
  }

  @Override
  public void close() {
    http.close();
  }
}

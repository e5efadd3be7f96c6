package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.api.json.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server on a free port and a plain java.net.http client that speaks to it, for the HTTP
 * tests.
 */
public final class TestApi implements AutoCloseable {
  /** Credentials of every role and tenant the tests need, in one real keys file. */
  public record Keys(
      ApiKeyStore store,
      String admin,
      String auditorAcme,
      String auditorGlobex,
      String producerAcme,
      String adminAcme) {
    public static Keys create(Path dir) {
      ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.jsonl"));
      return new Keys(
          store,
          store.create(Role.admin, "*", "root").secret(),
          store.create(Role.auditor, "acme", "acme auditor").secret(),
          store.create(Role.auditor, "globex", "globex auditor").secret(),
          store.create(Role.producer, "acme", "acme gateway").secret(),
          store.create(Role.admin, "acme", "acme admin").secret());
    }
  }

  public final ApiServer server;
  public final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestApi(ApiServer server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.port();
  }

  public static TestApi start(ApiContext context) {
    return start(ApiSettings.builder().port(0).build(), context);
  }

  public static TestApi start(ApiSettings settings, ApiContext context) {
    return new TestApi(
        ApiServer.start(settings.toBuilder().host("127.0.0.1").port(0).build(), context));
  }

  public HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b;
  }

  public HttpResponse<String> get(String path, String key) {
    return send(request(path, key).GET());
  }

  public HttpResponse<String> post(String path, String key, String contentType, String body) {
    return send(
        request(path, key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient client() {
    return http;
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return ContractJson.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  /**
   * @return one line of an NDJSON body as JSON
   */
  public static JsonNode jsonLine(String line) {
    try {
      return ContractJson.mapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  /**
   * Checks that {@code response} is an error in the contract's shape with this status and code, and
   * leaks nothing.
   *
   * @return its {@code error} member
   */
  public static JsonNode assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "<html");
    return error;
  }

  @Override
  public void close() {
    server.close();
  }
}

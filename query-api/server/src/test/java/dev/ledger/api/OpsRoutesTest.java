package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import dev.ledger.api.health.HealthReport.State;
import dev.ledger.api.json.ContractJson;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health}, {@code /metrics} and {@code /openapi.json}, through Javalin's own test tool. */
class OpsRoutesTest {
  @TempDir Path dir;

  static HealthCheck check(String name, AtomicReference<HealthReport> report) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthReport check() {
        return report.get();
      }
    };
  }

  @Test
  void healthIsUpOnlyWhenEveryCheckIsUp() {
    AtomicReference<HealthReport> kafka = new AtomicReference<>(HealthReport.up());
    AtomicReference<HealthReport> index =
        new AtomicReference<>(HealthReport.of(State.STARTING, Map.of("lag", 5000)));
    ApiContext context =
        new ApiContext(
            null, null, null, null, List.of(check("kafka", kafka), check("index", index)), null);

    JavalinTest.test(
        ApiServer.create(ApiSettings.builder().build(), context),
        (app, client) -> {
          var starting = client.get("/health");
          JsonNode body = ContractJson.mapper().readTree(starting.body().string());
          assertThat(starting.code()).isEqualTo(503);
          assertThat(body.get("status").asText()).isEqualTo("starting");
          assertThat(body.at("/checks/kafka/status").asText()).isEqualTo("up");
          assertThat(body.at("/checks/index/status").asText()).isEqualTo("starting");
          assertThat(body.at("/checks/index/lag").asInt()).isEqualTo(5000);

          index.set(HealthReport.up());
          var up = client.get("/health");
          assertThat(up.code()).isEqualTo(200);
          assertThat(ContractJson.mapper().readTree(up.body().string()).get("status").asText())
              .isEqualTo("up");

          kafka.set(HealthReport.of(State.DOWN, Map.of("error", "no broker")));
          index.set(HealthReport.of(State.STARTING, Map.of()));
          var down = client.get("/health");
          JsonNode downBody = ContractJson.mapper().readTree(down.body().string());
          assertThat(down.code()).isEqualTo(503);
          assertThat(downBody.get("status").asText()).isEqualTo("down");
          assertThat(downBody.at("/checks/kafka/error").asText()).isEqualTo("no broker");
        });
  }

  @Test
  void aDegradedCheckMakesHealthDegradedUnlessOneIsDown() {
    AtomicReference<HealthReport> kafka =
        new AtomicReference<>(HealthReport.of(State.STARTING, Map.of()));
    AtomicReference<HealthReport> index =
        new AtomicReference<>(
            HealthReport.of(
                State.DEGRADED,
                Map.of("last_error", "index write failed: No space left on device")));
    ApiContext context =
        new ApiContext(
            null, null, null, null, List.of(check("kafka", kafka), check("index", index)), null);

    JavalinTest.test(
        ApiServer.create(ApiSettings.builder().build(), context),
        (app, client) -> {
          var degraded = client.get("/health");
          JsonNode body = ContractJson.mapper().readTree(degraded.body().string());
          assertThat(degraded.code()).isEqualTo(503);
          assertThat(body.get("status").asText()).isEqualTo("degraded");
          assertThat(body.at("/checks/index/status").asText()).isEqualTo("degraded");
          assertThat(body.at("/checks/index/last_error").asText())
              .contains("No space left on device");

          kafka.set(HealthReport.of(State.DOWN, Map.of()));
          var down = client.get("/health");
          assertThat(ContractJson.mapper().readTree(down.body().string()).get("status").asText())
              .isEqualTo("down");
        });
  }

  @Test
  void aCheckThatThrowsIsReportedDown() {
    HealthCheck broken =
        new HealthCheck() {
          @Override
          public String name() {
            return "streams";
          }

          @Override
          public HealthReport check() {
            throw new IllegalStateException("not started");
          }
        };
    JavalinTest.test(
        ApiServer.create(
            ApiSettings.builder().build(),
            new ApiContext(null, null, null, null, List.of(broken), null)),
        (app, client) -> {
          var response = client.get("/health");
          assertThat(response.code()).isEqualTo(503);
          JsonNode body = ContractJson.mapper().readTree(response.body().string());
          assertThat(body.at("/checks/streams/status").asText()).isEqualTo("down");
          assertThat(body.at("/checks/streams/error").asText()).isEqualTo("not started");
        });
  }

  @Test
  void metricsTimeRequestsByRouteTemplateWithAHistogramAndShowTheJvm() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ApiKeyStore keys = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    String admin = keys.create(Role.admin, "*", null).secret();
    ApiContext context = new ApiContext(keys, null, null, null, List.of(), registry);

    JavalinTest.test(
        ApiServer.create(ApiSettings.builder().build(), context),
        (app, client) -> {
          client.get("/v1/tokens/abc", b -> b.header("Authorization", "Bearer " + admin));
          client.get("/v1/tokens/def", b -> b.header("Authorization", "Bearer " + admin));
          client.get("/no/such/path");
          var response = client.get("/metrics");
          String text = response.body().string();

          assertThat(response.code()).isEqualTo(200);
          assertThat(response.headers().get("Content-Type").get(0)).startsWith("text/plain");
          assertThat(text)
              .contains(
                  "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/tokens/{id}\","
                      + "status=\"503\"} 2");
          assertThat(text)
              .contains(
                  "http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/tokens/{id}\"");
          assertThat(text).contains("route=\"NOT_FOUND\",status=\"404\"");
          assertThat(text).doesNotContain("/v1/tokens/abc", "/no/such/path");
          assertThat(text)
              .contains(
                  "jvm_memory_used_bytes",
                  "jvm_threads_live_threads",
                  "system_cpu_count",
                  "jvm_gc_");

          registry.counter("ledger.index.documents", "topic", "ledger.audit").increment(3);
          String only =
              client
                  .get(
                      "/metrics?name%5B%5D=ledger_index_documents_total&name%5B%5D=jvm_threads_live_threads")
                  .body()
                  .string();
          assertThat(only)
              .contains(
                  "ledger_index_documents_total{topic=\"ledger.audit\"} 3.0",
                  "jvm_threads_live_threads")
              .doesNotContain("jvm_memory_used_bytes", "http_server_requests_seconds");
        });
  }

  @Test
  void openApiDocumentParsesAndDescribesExactlyTheRegisteredRoutes() {
    Javalin app =
        ApiServer.create(
            ApiSettings.builder().build(), new ApiContext(null, null, null, null, List.of(), null));
    JavalinTest.test(
        app,
        (server, client) -> {
          var response = client.get("/openapi.json");
          assertThat(response.code()).isEqualTo(200);
          String document = response.body().string();

          SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, null);
          assertThat(parsed.getMessages()).isEmpty();
          OpenAPI openApi = parsed.getOpenAPI();
          assertThat(openApi.getOpenapi()).startsWith("3.1");

          Set<String> documented = new TreeSet<>();
          openApi
              .getPaths()
              .forEach(
                  (path, item) ->
                      item.readOperationsMap()
                          .keySet()
                          .forEach(method -> documented.add(method.name() + " " + path)));

          Set<String> registered = new TreeSet<>();
          Set<String> heads = new TreeSet<>();
          for (ParsedEndpoint endpoint : server.unsafe.internalRouter.allHttpHandlers()) {
            HandlerType method = endpoint.endpoint.method;
            if (method == HandlerType.HEAD) {
              heads.add("GET " + endpoint.endpoint.path);
            } else if (method.isHttpMethod()) {
              registered.add(
                  method.toString().toUpperCase(Locale.ROOT) + " " + endpoint.endpoint.path);
            }
          }
          assertThat(documented).isEqualTo(registered);
          // HEAD is not documented apart: it mirrors each GET, with the GET's access check.
          assertThat(heads)
              .isEqualTo(
                  registered.stream()
                      .filter(r -> r.startsWith("GET "))
                      .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
          assertThat(registered).contains("POST /v1/events", "GET /v1/revocations/stream");

          // Every operation documents the error shape for its failures.
          openApi
              .getPaths()
              .forEach(
                  (path, item) ->
                      item.readOperationsMap()
                          .forEach(
                              (method, op) -> {
                                if (path.startsWith("/v1")) {
                                  assertThat(op.getResponses())
                                      .as(method + " " + path)
                                      .containsKeys("401", "403", "500");
                                }
                              }));
          assertThat(openApi.getComponents().getSchemas())
              .containsKeys("Error", "Token", "AuditRecord");
        });
  }
}

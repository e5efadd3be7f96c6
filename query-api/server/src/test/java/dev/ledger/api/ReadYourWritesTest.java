package dev.ledger.api;

import static dev.ledger.api.TestApi.assertError;
import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes over real HTTP and a real Lucene index: {@code after_events} and {@code
 * max_wait_ms} on the reads the index answers (CONTRACT.md section 4, v1.14).
 */
class ReadYourWritesTest extends IndexedApiTest {
  private static final List<Hop> CHAIN = List.of(new Hop("tok-ryw", "agent:planner", Via.issued));

  @Test
  void badWaitParametersAreOne400ListingEveryProblem() {
    JsonNode error =
        assertError(
            api.get("/v1/audit?after_events=ev-1,,ev-2&max_wait_ms=soon", keys.admin()),
            400,
            "bad_request");
    assertThat(error.get("details"))
        .extracting(d -> d.get("parameter").asText())
        .containsExactly("after_events", "max_wait_ms");
    assertThat(error.get("details").get(0).get("reason").asText()).contains("event id 2 is empty");

    String ids = IntStream.range(0, 101).mapToObj(i -> "ev-" + i).collect(Collectors.joining(","));
    error =
        assertError(
            api.get("/v1/tokens/tok-ryw?after_events=" + ids + "&max_wait_ms=10001", keys.admin()),
            400,
            "bad_request");
    assertThat(error.get("details").toString()).contains("at most 100 event ids, got 101");
    assertThat(error.get("details").get(1).get("reason").asText())
        .isEqualTo("expected an integer from 0 to 10000, got '10001'");

    assertError(
        api.get("/v1/alerts?after_events=ev-1&max_wait_ms=-1", keys.admin()), 400, "bad_request");
    assertError(api.get("/v1/revocations?after_events=", keys.admin()), 400, "bad_request");
    // max_wait_ms is checked even without after_events, where it means nothing.
    assertError(api.get("/v1/audit?max_wait_ms=x", keys.admin()), 400, "bad_request");
  }

  @Test
  void aReadWaitsUntilItsEventsAreIndexedAndIncludesThem() throws Exception {
    CompletableFuture<HttpResponse<String>> token =
        getAsync("/v1/tokens/tok-ryw?tenant=acme&after_events=ev-ryw-def&max_wait_ms=10000");
    CompletableFuture<HttpResponse<String>> audit =
        getAsync("/v1/audit?tenant=acme&after_events=ev-ryw-def,ev-ryw-use&max_wait_ms=10000");
    // Nothing indexed yet, so neither may answer: an absence has no event to wait for, so it must
    // hold for a bounded while.
    await("nothing indexed yet")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !token.isDone() && !audit.isDone());

    index.putAudit(
        ReadRoutesTest.audit("acme", "ev-ryw-def", "token.issued", 0, CHAIN, null, null, null));
    index.putToken(
        ReadRoutesTest.token(
            "acme", CHAIN, "user:dana", TokenStatus.active, List.of(), List.of("x"), null));
    // Answered by the index's scheduled reopen: no test hook makes it searchable.
    HttpResponse<String> found = token.get(10, TimeUnit.SECONDS);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    assertThat(json(found).get("token_id").asText()).isEqualTo("tok-ryw");
    await("its use is not indexed yet")
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !audit.isDone());

    index.putAudit(
        ReadRoutesTest.audit(
            "acme", "ev-ryw-use", "token.used", 10, CHAIN, "GET /x", Outcome.allowed, null));
    HttpResponse<String> listed = audit.get(10, TimeUnit.SECONDS);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    assertThat(ReadRoutesTest.ids(json(listed), "event_id")).contains("ev-ryw-def", "ev-ryw-use");
  }

  @Test
  void aWaitForEventsNeverIndexedIsA504NamingThemAfterMaxWait() throws Exception {
    index.putAudit(
        ReadRoutesTest.audit(
            "acme", "ev-ryw-seen", "token.used", 20, CHAIN, "GET /y", Outcome.allowed, null));
    index.awaitSearchable();
    long start = System.nanoTime();
    HttpResponse<String> response =
        api.get(
            "/v1/audit?tenant=acme&after_events=ev-ryw-never,ev-ryw-seen&max_wait_ms=500",
            keys.admin());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    JsonNode error = assertError(response, 504, "wait_expired");
    assertThat(error.get("details").get("not_seen"))
        .extracting(JsonNode::asText)
        .containsExactly("ev-ryw-never");
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(500))
        .isLessThan(Duration.ofSeconds(5));

    // Another tenant's event is not the caller's: a globex auditor waits in vain for acme's.
    JsonNode foreign =
        assertError(
            api.get("/v1/audit?after_events=ev-ryw-seen&max_wait_ms=100", keys.auditorGlobex()),
            504,
            "wait_expired");
    assertThat(foreign.get("details").get("not_seen").get(0).asText()).isEqualTo("ev-ryw-seen");
  }

  @Test
  void aReadWithoutAfterEventsAnswersAtOnceAsBefore() {
    long start = System.nanoTime();
    HttpResponse<String> response =
        api.get("/v1/audit?tenant=acme&max_wait_ms=10000", keys.admin());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertError(api.get("/v1/tokens/tok-unknown?tenant=acme", keys.admin()), 404, "not_found");
  }

  @Test
  void theOpenApiDescriptionDocumentsTheWaitOnEveryIndexRead() {
    JsonNode paths = json(api.get("/openapi.json", null)).get("paths");
    List<String> reads =
        List.of(
            "/v1/tokens/{id}",
            "/v1/tokens/{id}/descendants",
            "/v1/tokens/{id}/history",
            "/v1/authority",
            "/v1/audit",
            "/v1/alerts",
            "/v1/revocations");
    for (String path : reads) {
      JsonNode get = paths.get(path).get("get");
      List<String> parameters = new ArrayList<>();
      get.get("parameters")
          .forEach(
              p -> parameters.add(p.has("$ref") ? p.get("$ref").asText() : p.get("name").asText()));
      assertThat(parameters)
          .as(path)
          .contains("#/components/parameters/afterEvents", "#/components/parameters/maxWaitMs");
      assertThat(get.get("responses").has("504")).as(path).isTrue();
    }
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return api.client()
        .sendAsync(
            api.request(path, keys.admin()).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}

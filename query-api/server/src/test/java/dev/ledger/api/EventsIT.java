package dev.ledger.api;

import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.schemas.Topics;
import dev.ledger.testkit.Examples;
import dev.ledger.testkit.TestKafka;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/events} through the real IngestService to a real broker. */
class EventsIT {
  static final long MAX_BYTES = 16 * 1024;

  @TempDir static Path dir;
  static TestKafka kafka;
  static IngestService ingest;
  static LedgerIndex index;
  static TestApi.Keys keys;
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(4);
    ingest = new IngestService(KafkaEventPublisher.create(kafka.bootstrapServers(), Map.of()));
    keys = TestApi.Keys.create(dir);
    index = LedgerIndex.open(dir.resolve("index"));
    api =
        TestApi.start(
            ApiSettings.builder().maxRequestBytes(MAX_BYTES).build(),
            new ApiContext(keys.store(), ingest, index, null, List.of(), null));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    ingest.close();
    index.close();
    kafka.close();
  }

  static String event(String id, String tenant, String tokenId) {
    return "{\"event_id\":\""
        + id
        + "\",\"type\":\"token.issued\",\"occurred_at\":\"2026-11-20T09:00:00Z\","
        + "\"tenant\":\""
        + tenant
        + "\",\"token\":{\"token_id\":\""
        + tokenId
        + "\",\"issuer\":\"https://as\",\"subject\":\"user:x\","
        + "\"actor\":\"agent:y\",\"audience\":[\"https://api\"],\"scopes\":[\"s\"]}}";
  }

  /**
   * All scenarios in one test so the final count of ledger.events proves that rejected batches
   * wrote nothing.
   */
  @Test
  void overLimitTextIs400NamingFieldAndLimitAndA400ListsAtMost100Problems() {
    // The poison chain used 4 KB actor strings.
    String poison =
        event("p-1", "acme", "p1").replace("\"actor\":\"", "\"actor\":\"" + "a".repeat(4096));
    assertThat(poison).contains("a".repeat(4096));
    HttpResponse<String> tooLong =
        api.post("/v1/events", keys.producerAcme(), "application/json", "[" + poison + "]");
    TestApi.assertError(tooLong, 400, "bad_request");
    assertThat(json(tooLong).at("/error/details/0/field").asText()).isEqualTo("token.actor");
    assertThat(json(tooLong).at("/error/details/0/reason").asText())
        .isEqualTo("must be at most 1024 characters, not 4103");

    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 150; i++) { // 3 problems each, and below this server's 16 KB body limit
      many.append("{\"event_id\":\"m-")
          .append(i)
          .append("\",\"type\":\"token.revoked\",\"occurred_at\":\"x\",\"source\":\"\"}\n");
    }
    HttpResponse<String> crafted =
        api.post("/v1/events", keys.producerAcme(), "application/x-ndjson", many.toString());
    TestApi.assertError(crafted, 400, "bad_request");
    assertThat(json(crafted).at("/error/details").size()).isEqualTo(100);
    assertThat(json(crafted).at("/error/message").asText())
        .isEqualTo("450 problem(s) in the batch, the first 100 listed; nothing was written");
  }

  @Test
  void acceptedBatchesReachKafkaAndRejectedOnesWriteNothing() {
    HttpResponse<String> ndjson =
        api.post(
            "/v1/events", keys.producerAcme(), "application/x-ndjson", Examples.quickstartNdjson());
    assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(202);
    assertThat(json(ndjson).get("accepted").asInt()).isEqualTo(6);

    HttpResponse<String> array =
        api.post(
            "/v1/events",
            keys.admin(),
            "application/json; charset=utf-8",
            "[" + event("gx-1", "globex", "g1") + "," + event("gx-2", "globex", "g2") + "]");
    assertThat(array.statusCode()).as(array.body()).isEqualTo(202);
    assertThat(json(array).get("accepted").asInt()).isEqualTo(2);

    // Invalid: every bad event is listed, none is written.
    HttpResponse<String> invalid =
        api.post(
            "/v1/events",
            keys.producerAcme(),
            "application/json",
            "["
                + event("ok-1", "acme", "a1")
                + ", {\"event_id\":\"bad\",\"type\":\"token.issued\"},"
                + " {\"type\":\"token.teleported\"}]");
    assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
    JsonNode details = json(invalid).at("/error/details");
    assertThat(details.isArray()).isTrue();
    assertThat(details.findValuesAsText("index")).contains("1", "2").doesNotContain("0");
    details.forEach(
        p -> assertThat(p.fieldNames()).toIterable().containsExactly("index", "field", "reason"));

    // An id holding U+0000 (sent as a JSON escape) could collide keys in the streams stores:
    // refused, field named.
    HttpResponse<String> control =
        api.post(
            "/v1/events",
            keys.producerAcme(),
            "application/json",
            "[" + event("ok-4", "acme", "a4\\u0000") + "]");
    assertThat(control.statusCode()).as(control.body()).isEqualTo(400);
    assertThat(json(control).at("/error/details").size()).isEqualTo(1);
    assertThat(json(control).at("/error/details/0/field").asText()).isEqualTo("token.token_id");
    assertThat(json(control).at("/error/details/0/reason").asText()).contains("control characters");

    // Cross-tenant write.
    HttpResponse<String> foreign =
        api.post(
            "/v1/events",
            keys.producerAcme(),
            "application/json",
            "[" + event("ok-2", "acme", "a2") + "," + event("gx-3", "globex", "g3") + "]");
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
    assertThat(json(foreign).at("/error/code").asText()).isEqualTo("forbidden");
    assertThat(json(foreign).at("/error/details/0/index").asInt()).isEqualTo(1);

    // Wrong media type.
    HttpResponse<String> text =
        api.post(
            "/v1/events",
            keys.producerAcme(),
            "text/plain",
            "[" + event("ok-3", "acme", "a3") + "]");
    assertThat(text.statusCode()).as(text.body()).isEqualTo(415);
    assertThat(json(text).at("/error/code").asText()).isEqualTo("unsupported_media_type");

    // Too large, with a declared length and chunked.
    String big = "[" + event("big", "acme", "x".repeat((int) MAX_BYTES)) + "]";
    HttpResponse<String> declared =
        api.post("/v1/events", keys.producerAcme(), "application/json", big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(json(declared).at("/error/code").asText()).isEqualTo("payload_too_large");
    HttpResponse<String> chunked =
        api.send(
            api.request("/v1/events", keys.producerAcme())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
    assertThat(chunked.statusCode()).isEqualTo(413);

    // Wrong role.
    assertThat(api.post("/v1/events", keys.auditorAcme(), "application/json", "[]").statusCode())
        .isEqualTo(403);

    List<ConsumerRecord<byte[], byte[]>> records =
        TestKafka.readAll(
            kafka.bootstrapServers(),
            Topics.EVENTS.name(),
            8,
            Duration.ofSeconds(20),
            Duration.ofSeconds(1));
    assertThat(records).hasSize(8);
    Map<String, Long> byTenant =
        records.stream()
            .map(r -> new String(r.key(), StandardCharsets.UTF_8).split("/")[0])
            .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
    assertThat(byTenant).containsExactlyInAnyOrderEntriesOf(Map.of("acme", 6L, "globex", 2L));
  }
}

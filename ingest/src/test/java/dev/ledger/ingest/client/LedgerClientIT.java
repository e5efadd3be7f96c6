package dev.ledger.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ledger.ingest.IngestResult;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.TopicReader;
import dev.ledger.ingest.internal.Json;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.testkit.TestKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client on a real broker: straight to Kafka, and over HTTP to a minimal {@code POST
 * /v1/events} that runs the real {@link IngestService} (the status mapping the API server uses).
 */
class LedgerClientIT {

  private static TestKafka kafka;
  private static IngestService ingest;
  private static HttpServer server;

  /** Answers this many requests 503 without ingesting them, as an overloaded API would. */
  private static final AtomicInteger REFUSE_NEXT = new AtomicInteger();

  private static final AtomicInteger REQUESTS = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    kafka = TestKafka.start(4);
    ingest = new IngestService(KafkaEventPublisher.create(kafka.bootstrapServers(), Map.of()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/events", LedgerClientIT::handle);
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (ingest != null) {
      ingest.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static void handle(HttpExchange exchange) throws IOException {
    REQUESTS.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    ObjectNode answer = Json.MAPPER.createObjectNode();
    int status;
    if (REFUSE_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = 503;
      answer.putObject("error").put("code", "unavailable").put("message", "busy");
    } else {
      // "Bearer tenant:T" may write tenant T; any other key may write every tenant.
      String key =
          exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer ".length());
      String tenant = key.startsWith("tenant:") ? key.substring("tenant:".length()) : "*";
      IngestResult result =
          ingest.submit(body, exchange.getRequestHeaders().getFirst("Content-Type"), tenant);
      status =
          switch (result) {
            case IngestResult.Accepted a -> 202;
            case IngestResult.Invalid i -> 400;
            case IngestResult.Forbidden f -> 403;
            case IngestResult.UnsupportedMediaType u -> 415;
            case IngestResult.Unavailable u -> 503;
          };
      if (result instanceof IngestResult.Accepted accepted) {
        answer.put("accepted", accepted.count());
      } else if (result instanceof IngestResult.Invalid
          || result instanceof IngestResult.Forbidden) {
        List<Problem> problems =
            result instanceof IngestResult.Invalid i
                ? i.problems()
                : ((IngestResult.Forbidden) result).problems();
        var details =
            answer
                .putObject("error")
                .put("code", "refused")
                .put("message", "refused batch")
                .putArray("details");
        for (Problem p : problems) {
          details
              .addObject()
              .put("index", p.index())
              .put("field", p.field())
              .put("reason", p.reason());
        }
      } else {
        answer.putObject("error").put("code", "refused").put("message", result.toString());
      }
    }
    byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static URI api() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void straightToKafka() {
    try (LedgerClient client = LedgerClient.overKafka(kafka.bootstrapServers(), Map.of())) {
      assertThat(client.send(EventsTest.quickstart())).isEqualTo(6);
    }
    List<TopicReader.Seen> seen =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            all -> all.stream().filter(s -> s.tenant().equals("acme")).count() >= 6);
    assertThat(seen)
        .filteredOn(s -> s.tenant().equals("acme"))
        .extracting(TopicReader.Seen::key)
        .containsExactlyInAnyOrder(
            "acme/tok-root",
            "acme/tok-flights",
            "acme/tok-flights-lhr",
            "acme/tok-flights-lhr",
            "acme/tok-flights",
            "acme/tok-flights-lhr");
    assertThat(seen).extracting(s -> s.value().get("received_at")).doesNotContainNull();
  }

  @Test
  void overHttpThroughTheRealIngestRetryingABusyApi() {
    REFUSE_NEXT.set(2);
    int before = REQUESTS.get();
    LedgerEvent[] batch = {
      Events.issued("tok-http")
          .tenant("http")
          .issuer("https://auth")
          .subject("user:ann")
          .actor("agent:a")
          .audience("https://api")
          .scopes("read")
          .build(),
      Events.revoked("tok-http").tenant("http").reason("done").build()
    };
    try (LedgerClient client =
        LedgerClient.overHttp(
            api(),
            "key",
            new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(50)),
            Duration.ofSeconds(10))) {
      assertThat(client.send(batch)).isEqualTo(2);
    }
    assertThat(REQUESTS.get() - before).isEqualTo(3);
    List<TopicReader.Seen> seen =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            all -> all.stream().filter(s -> s.tenant().equals("http")).count() >= 2);
    assertThat(seen)
        .filteredOn(s -> s.tenant().equals("http"))
        .extracting(TopicReader.Seen::eventId)
        .containsExactlyInAnyOrder(batch[0].getEventId(), batch[1].getEventId());
  }

  @Test
  void overHttpARefusalIsFinalAndCarriesTheLedgersProblems() {
    int before = REQUESTS.get();
    LedgerEvent foreign = Events.revoked("tok").tenant("globex").build();
    LedgerEvent own = Events.revoked("tok").tenant("acme").build();
    try (LedgerClient client = LedgerClient.overHttp(api(), "tenant:acme")) {
      assertThatThrownBy(() -> client.send(own, foreign))
          .isInstanceOfSatisfying(
              LedgerClientException.class,
              e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.retryable()).isFalse();
                assertThat(e.problems())
                    .extracting(Problem::index, Problem::field)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "tenant"));
              });
    }
    assertThat(REQUESTS.get() - before).isEqualTo(1);
  }
}

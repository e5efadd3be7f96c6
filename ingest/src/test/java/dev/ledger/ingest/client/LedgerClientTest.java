package dev.ledger.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ledger.ingest.EventPublisher;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.schemas.avro.LedgerEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LedgerClientTest {

  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20));

  /** One scripted answer of the fake API: status, body, and headers. */
  private record Answer(int status, String body, String retryAfter) {
    static Answer of(int status, String body) {
      return new Answer(status, body, null);
    }
  }

  /** What the fake API received. */
  private record Received(String authorization, String contentType, String body) {}

  private HttpServer server;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private URI startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/events",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          Answer answer = script.isEmpty() ? Answer.of(202, "{\"accepted\":1}") : script.poll();
          if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
          }
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void postsNdjsonWithTheBearerKey() throws IOException {
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "secret-key", FAST, Duration.ofSeconds(5))) {
      assertThat(client.send(EventsTest.quickstart())).isEqualTo(6);
    }
    assertThat(received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.authorization()).isEqualTo("Bearer secret-key");
              assertThat(r.contentType()).isEqualTo("application/x-ndjson");
              assertThat(r.body().lines().toList())
                  .hasSize(6)
                  .first()
                  .asString()
                  .startsWith("{\"event_id\":\"ev-001\"");
            });
  }

  @Test
  void retriesWhatMayPassWithTheSameEvents() throws IOException {
    script.add(
        Answer.of(503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"Kafka is down\"}}"));
    script.add(new Answer(429, "", "0"));
    script.add(Answer.of(500, "oops"));
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "k", FAST, Duration.ofSeconds(5))) {
      assertThat(client.send(EventsTest.quickstart())).isEqualTo(6);
    }
    assertThat(received).hasSize(4);
    assertThat(received).extracting(Received::body).containsOnly(received.get(0).body());
  }

  @Test
  void givesUpAfterTheLastAttempt() throws IOException {
    for (int i = 0; i < 4; i++) {
      script.add(
          Answer.of(503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"Kafka is down\"}}"));
    }
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "k", FAST, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.send(EventsTest.quickstart()))
          .isInstanceOfSatisfying(
              LedgerClientException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("Kafka is down");
              });
    }
    assertThat(received).hasSize(4);
  }

  @Test
  void aRefusedBatchIsNotRetriedAndCarriesTheProblems() throws IOException {
    script.add(
        Answer.of(
            400,
            """
        {"error":{"code":"invalid","message":"invalid batch",
          "details":[{"index":2,"field":"token.scopes[0]","reason":"must not be empty"}]}}"""));
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "k", FAST, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.send(EventsTest.quickstart()))
          .isInstanceOfSatisfying(
              LedgerClientException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.retryable()).isFalse();
                assertThat(e.problems())
                    .containsExactly(new Problem(2, "token.scopes[0]", "must not be empty"));
              });
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void authenticationFailuresAreFinal() throws IOException {
    script.add(
        Answer.of(
            401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"no valid credential\"}}"));
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "wrong", FAST, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.send(EventsTest.quickstart()))
          .isInstanceOfSatisfying(
              LedgerClientException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void anUnreachableLedgerIsRetriedThenReported() {
    try (LedgerClient client =
        LedgerClient.overHttp(URI.create("http://127.0.0.1:1"), "k", FAST, Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> client.send(EventsTest.quickstart()))
          .isInstanceOfSatisfying(
              LedgerClientException.class,
              e -> {
                assertThat(e.status()).isEqualTo(-1);
                assertThat(e.retryable()).isTrue();
              });
    }
  }

  @Test
  void anInvalidBatchIsRefusedBeforeSending() throws IOException {
    List<LedgerEvent> batch = new ArrayList<>(EventsTest.quickstart());
    batch.add(batch.get(0));
    try (LedgerClient client =
        LedgerClient.overHttp(startServer(), "k", FAST, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.send(batch))
          .isInstanceOfSatisfying(
              InvalidEventException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(Problem::index, Problem::field)
                      .containsExactly(org.assertj.core.groups.Tuple.tuple(6, "event_id")));
      assertThatThrownBy(() -> client.send(List.of())).isInstanceOf(InvalidEventException.class);
    }
    assertThat(received).isEmpty();
  }

  @Test
  void overKafkaRetriesAFailedPublishWithTheSameEventIds() {
    List<List<LedgerEvent>> publishes = Collections.synchronizedList(new ArrayList<>());
    EventPublisher flaky =
        new EventPublisher() {
          @Override
          public CompletableFuture<Void> publish(List<LedgerEvent> events) {
            publishes.add(events);
            return publishes.size() < 3
                ? CompletableFuture.failedFuture(
                    new org.apache.kafka.common.errors.TimeoutException("no leader"))
                : CompletableFuture.completedFuture(null);
          }

          @Override
          public void close() {}
        };
    try (LedgerClient client = LedgerClient.overKafka(flaky, FAST)) {
      assertThat(client.send(EventsTest.quickstart())).isEqualTo(6);
    }
    assertThat(publishes).hasSize(3);
    assertThat(publishes)
        .allSatisfy(
            batch -> {
              assertThat(batch)
                  .extracting(LedgerEvent::getEventId)
                  .containsExactly("ev-001", "ev-002", "ev-003", "ev-004", "ev-005", "ev-006");
              assertThat(batch).extracting(LedgerEvent::getReceivedAt).doesNotContainNull();
            });
  }

  @Test
  void backoffGrowsIsCappedAndHonoursTheServersFloor() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.backoff(1, Duration.ZERO)).isBetween(Duration.ZERO, Duration.ofMillis(100));
      assertThat(policy.backoff(9, Duration.ZERO))
          .isBetween(Duration.ZERO, Duration.ofMillis(1000));
      assertThat(policy.backoff(1, Duration.ofMillis(500)))
          .isBetween(Duration.ofMillis(500), Duration.ofMillis(500));
      assertThat(policy.backoff(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(1000));
    }
  }
}

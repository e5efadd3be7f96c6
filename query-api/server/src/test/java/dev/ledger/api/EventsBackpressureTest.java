package dev.ledger.api;

import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.ingest.EventPublisher;
import dev.ledger.ingest.IngestService;
import dev.ledger.schemas.avro.LedgerEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 429 and 503 of {@code POST /v1/events}: the real IngestService over a publisher whose Kafka
 * acknowledgement the test holds back or fails, which a real broker cannot be made to do on cue.
 */
class EventsBackpressureTest {
  static final String EVENT =
      "[{\"event_id\":\"e1\",\"type\":\"token.revoked\",\"occurred_at\":"
          + "\"2026-11-20T09:00:00Z\",\"tenant\":\"acme\",\"revocation\":{\"token_id\":\"t1\"}}]";

  @TempDir Path dir;

  /** Stands in for Kafka: completes each publish with whatever the test puts in {@code next}. */
  static final class HeldPublisher implements EventPublisher {
    final AtomicReference<CompletableFuture<Void>> next =
        new AtomicReference<>(new CompletableFuture<>());
    final CountDownLatch called = new CountDownLatch(1);

    @Override
    public CompletableFuture<Void> publish(List<LedgerEvent> events) {
      called.countDown();
      return next.get();
    }

    @Override
    public void close() {}
  }

  @Test
  void writesBeyondTheInFlightLimitAre429() throws Exception {
    TestApi.Keys keys = TestApi.Keys.create(dir);
    HeldPublisher publisher = new HeldPublisher();
    try (IngestService ingest = new IngestService(publisher);
        TestApi api =
            TestApi.start(
                ApiSettings.builder().maxInFlightWrites(1).build(),
                new ApiContext(keys.store(), ingest, null, null, null, null))) {
      CompletableFuture<HttpResponse<String>> first =
          CompletableFuture.supplyAsync(
              () -> api.post("/v1/events", keys.producerAcme(), "application/json", EVENT));
      assertThat(publisher.called.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> second =
          api.post("/v1/events", keys.producerAcme(), "application/json", EVENT);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("Retry-After")).isPresent();
      assertThat(json(second).at("/error/code").asText()).isEqualTo("too_many_requests");

      publisher.next.get().complete(null);
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      // The slot is free again.
      assertThat(
              api.post("/v1/events", keys.producerAcme(), "application/json", EVENT).statusCode())
          .isEqualTo(202);
    }
  }

  @Test
  void oneCredentialCannotTakeEveryIngestPermit() throws Exception {
    TestApi.Keys keys = TestApi.Keys.create(dir);
    HeldPublisher publisher = new HeldPublisher();
    try (IngestService ingest = new IngestService(publisher);
        TestApi api =
            TestApi.start(
                ApiSettings.builder()
                    .maxInFlightWrites(4)
                    .maxInFlightWritesPerCredential(1)
                    .build(),
                new ApiContext(keys.store(), ingest, null, null, null, null))) {
      CompletableFuture<HttpResponse<String>> first =
          CompletableFuture.supplyAsync(
              () -> api.post("/v1/events", keys.producerAcme(), "application/json", EVENT));
      assertThat(publisher.called.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> second =
          api.post("/v1/events", keys.producerAcme(), "application/json", EVENT);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(json(second).at("/error/message").asText())
          .contains("for this credential (at most 1)");
      // Another credential still gets a permit while the first one holds its only one.
      CompletableFuture<HttpResponse<String>> other =
          CompletableFuture.supplyAsync(
              () -> api.post("/v1/events", keys.adminAcme(), "application/json", EVENT));
      // Not answered while the publisher holds the first: an absence (of an answer) has no event to
      // wait for, so it must hold for a bounded while.
      await("the other credential's write is not answered yet")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !other.isDone());

      publisher.next.get().complete(null);
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      assertThat(other.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }
  }

  /**
   * Opens a raw connection and sends the headers of a POST of {@code EVENT}, then {@code bodyStart}
   * of it.
   */
  private static java.net.Socket upload(TestApi api, String key, String bodyStart)
      throws java.io.IOException {
    java.net.Socket socket = new java.net.Socket("127.0.0.1", api.server.port());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + EVENT.length()
                    + "\r\n\r\n"
                    + bodyStart)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  @Test
  void aTricklingUploadIsCutOffWith408() throws Exception {
    TestApi.Keys keys = TestApi.Keys.create(dir);
    HeldPublisher publisher = new HeldPublisher();
    try (IngestService ingest = new IngestService(publisher);
        TestApi api =
            TestApi.start(
                ApiSettings.builder().requestBodyTimeout(java.time.Duration.ofSeconds(1)).build(),
                new ApiContext(keys.store(), ingest, null, null, null, null));
        java.net.Socket socket = upload(api, keys.producerAcme(), "")) {
      java.io.OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      String answer = null;
      // One byte every 200 ms: each read makes progress, so only the body deadline can stop it.
      for (int i = 0; i < EVENT.length() - 1 && answer == null; i++) {
        try {
          out.write(EVENT.charAt(i));
          out.flush();
        } catch (java.io.IOException closed) {
          break;
        }
        Thread.sleep(200);
        if (socket.getInputStream().available() > 0) {
          answer =
              new String(
                  socket.getInputStream().readNBytes(socket.getInputStream().available()),
                  java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      if (answer == null) {
        answer =
            new String(
                socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.UTF_8);
      }
      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
      assertThat(publisher.called.getCount()).as("nothing was published").isEqualTo(1);
    }
  }

  @Test
  void aStalledUploadIsCutOffAfterTheIdleTimeout() throws Exception {
    TestApi.Keys keys = TestApi.Keys.create(dir);
    HeldPublisher publisher = new HeldPublisher();
    try (IngestService ingest = new IngestService(publisher);
        TestApi api =
            TestApi.start(
                ApiSettings.builder()
                    .idleTimeout(java.time.Duration.ofSeconds(1))
                    .sseKeepAlive(java.time.Duration.ofMillis(500))
                    .build(),
                new ApiContext(keys.store(), ingest, null, null, null, null));
        java.net.Socket socket = upload(api, keys.producerAcme(), EVENT.substring(0, 10))) {
      long start = System.nanoTime();
      // Then nothing: the server must not wait for the rest forever.
      byte[] answer = socket.getInputStream().readNBytes(12);
      long millis = (System.nanoTime() - start) / 1_000_000;
      String status = new String(answer, java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(status.isEmpty() || status.startsWith("HTTP/1.1 408")).as(status).isTrue();
      assertThat(millis).isBetween(500L, 8_000L);
      assertThat(publisher.called.getCount()).as("nothing was published").isEqualTo(1);
    }
  }

  @Test
  void kafkaRefusingTheBatchIs503() {
    TestApi.Keys keys = TestApi.Keys.create(dir);
    HeldPublisher publisher = new HeldPublisher();
    publisher.next.set(CompletableFuture.failedFuture(new IllegalStateException("broker down")));
    try (IngestService ingest = new IngestService(publisher);
        TestApi api = TestApi.start(new ApiContext(keys.store(), ingest, null, null, null, null))) {
      HttpResponse<String> response =
          api.post("/v1/events", keys.producerAcme(), "application/json", EVENT);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(json(response).at("/error/code").asText()).isEqualTo("unavailable");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
  }
}

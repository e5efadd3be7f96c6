package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.Indexer;
import dev.ledger.index.IndexerSettings;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.RevocationPosition;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.testkit.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/revocations/stream} on a real broker: notices written to {@code ledger.revocations}
 * are indexed by the real Indexer, whose single listener the server fans out to every subscriber.
 */
class RevocationStreamIT {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationStreamIT.class);
  static final int SUBSCRIBERS = 300;

  @TempDir static Path dir;
  static TestKafka kafka;
  static LedgerIndex index;
  static Indexer indexer;
  static KafkaProducer<String, RevocationNotice> producer;
  static PrometheusMeterRegistry registry;
  static TestApi.Keys keys;
  static TestApi api;
  static HttpClient client;
  static final AtomicInteger tokens = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(4);
    index = LedgerIndex.open(dir.resolve("index"));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    indexer =
        Indexer.start(
            IndexerSettings.builder(kafka.bootstrapServers())
                .refreshInterval(Duration.ofMillis(20))
                .build(),
            index,
            registry);
    producer = noticeProducer(kafka);
    keys = TestApi.Keys.create(dir);
    // One admin key opens every subscriber of the scale test, so it may hold them all.
    api =
        TestApi.start(
            ApiSettings.builder()
                .sseKeepAlive(Duration.ofMillis(300))
                .maxSseClients(1000)
                .maxSseClientsPerCredential(1000)
                .build(),
            new ApiContext(keys.store(), null, index, indexer, List.of(), registry));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // The first notice also waits for the indexer's consumer to join: keep that out of the
    // measurements.
    revoke("warmup");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !index.revocationsAfter(TenantScope.all(), RevocationPosition.START, 1).isEmpty());
  }

  /** A producer of ledger.revocations records that sends each at once. */
  static KafkaProducer<String, RevocationNotice> noticeProducer(TestKafka kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG,
            0),
        Topics.REVOCATIONS.keySerde().serializer(),
        Topics.REVOCATIONS.valueSerde().serializer());
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    producer.close();
    indexer.close();
    index.close();
    kafka.close();
  }

  /** Writes a notice for a fresh token of {@code tenant}; returns the token id. */
  static String revoke(String tenant) {
    String token = send(tenant);
    producer.flush();
    return token;
  }

  private static String send(String tenant) {
    String token = "tok-" + tokens.incrementAndGet();
    RevocationNotice notice =
        RevocationNotice.newBuilder()
            .setTenant(tenant)
            .setTokenId(token)
            .setRevokedAt(Instant.parse("2026-11-20T09:01:00Z"))
            .setRevocationCause(token)
            .build();
    producer.send(
        new ProducerRecord<>(
            Topics.REVOCATIONS.name(), LedgerKey.of(tenant, token).toString(), notice));
    return token;
  }

  static HttpRequest.Builder stream(String query, String key) {
    return api.request("/v1/revocations/stream" + query, key).timeout(Duration.ofMinutes(2)).GET();
  }

  static double subscribers() {
    return registry.get("ledger.api.sse.subscribers").gauge().value();
  }

  static JsonNode data(SseReader.Event event) {
    try {
      return ContractJson.mapper().readTree(event.data());
    } catch (Exception e) {
      throw new AssertionError(event.data(), e);
    }
  }

  @Test
  void hundredsOfSubscribersAllReceiveALiveNotice() throws Exception {
    double before = subscribers();
    List<SseReader> readers = new ArrayList<>();
    try {
      List<Thread> openers = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        openers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      SseReader reader =
                          SseReader.open(client, stream("?tenant=acme", keys.admin()).build());
                      synchronized (readers) {
                        readers.add(reader);
                      }
                    }));
      }
      for (Thread t : openers) {
        t.join();
      }
      assertThat(readers).allSatisfy(r -> assertThat(r.status).isEqualTo(200));
      await().atMost(Duration.ofSeconds(20)).until(() -> subscribers() >= before + SUBSCRIBERS);

      long sent = System.nanoTime();
      String token = revoke("acme");
      revoke("globex");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> readers.stream().anyMatch(r -> !r.events.isEmpty()));
      long first = (System.nanoTime() - sent) / 1_000_000;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> readers.stream().allMatch(r -> !r.events.isEmpty()));
      long last = (System.nanoTime() - sent) / 1_000_000;
      LOG.info(
          "{} SSE subscribers: first received a notice {} ms after it was produced, the last {} ms",
          SUBSCRIBERS,
          first,
          last);

      for (SseReader r : readers) {
        SseReader.Event event = r.events.get(0);
        assertThat(event.event()).isEqualTo("revocation");
        assertThat(data(event).get("tenant").asText()).isEqualTo("acme");
        assertThat(data(event).get("revocation_cause").asText()).isEqualTo(token);
        assertThat(r.events)
            .allSatisfy(e -> assertThat(data(e).get("tenant").asText()).isEqualTo("acme"));
      }
    } finally {
      readers.forEach(SseReader::close);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> subscribers() <= before);
  }

  @Test
  void resumingWithLastEventIdHasNoGapsAndNoDuplicatesAcrossTheHandover() throws Exception {
    try (SseReader live = SseReader.open(client, stream("", keys.auditorAcme()).build());
        SseReader other = SseReader.open(client, stream("", keys.auditorGlobex()).build())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() >= 2);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 120; i++) {
                      revoke(i % 4 == 0 ? "globex" : "acme");
                    }
                  });
      await().atMost(Duration.ofSeconds(30)).until(() -> live.events.size() >= 20);
      SseReader.Event resumeAfter = live.notices().get(9);

      // Connects while notices are still being written: replay and live overlap.
      try (SseReader resumed =
          SseReader.open(
              client,
              stream("", keys.auditorAcme()).header("Last-Event-ID", resumeAfter.id()).build())) {
        writer.join();
        await().atMost(Duration.ofSeconds(30)).until(() -> live.events.size() >= 90);
        await().atMost(Duration.ofSeconds(30)).until(() -> resumed.notices().size() >= 80);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(resumed.events)
                        .extracting(SseReader.Event::event)
                        .contains("caught-up"));

        List<SseReader.Event> expected = live.notices().subList(10, live.notices().size());
        // The replay comes partition by partition, live notices as indexed: the same records, each
        // partition's in its order, and both clients end at the same position.
        assertThat(resumed.places(resumeAfter.position()))
            .containsExactlyInAnyOrderElementsOf(
                live.places(null).subList(9, live.notices().size() - 1));
        assertThat(inEachPartitionsOrder(resumed.places(resumeAfter.position()))).isTrue();
        assertThat(resumed.notices().getLast().id()).isEqualTo(expected.getLast().id());
        assertThat(resumed.notices())
            .extracting(e -> data(e).get("token_id").asText())
            .containsExactlyInAnyOrderElementsOf(
                expected.stream().map(e -> data(e).get("token_id").asText()).toList());
        assertThat(live.events)
            .allSatisfy(e -> assertThat(data(e).get("tenant").asText()).isEqualTo("acme"));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> other.events.size() >= 30);
      assertThat(other.events)
          .allSatisfy(e -> assertThat(data(e).get("tenant").asText()).isEqualTo("globex"));
    }
  }

  /** True when each partition's offsets ascend in {@code places}. */
  static boolean inEachPartitionsOrder(List<SseReader.Place> places) {
    Map<Integer, Long> last = new java.util.HashMap<>();
    for (SseReader.Place p : places) {
      Long before = last.put(p.partition(), p.offset());
      if (before != null && before >= p.offset()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aSubscriberThatFallsBehindIsDroppedAndResumesWithoutLoss() throws Exception {
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestApi tight =
            TestApi.start(
                ApiSettings.builder().sseQueueCapacity(1).build(),
                new ApiContext(keys.store(), null, index, indexer, List.of(), own));
        SseReader slow =
            SseReader.open(
                client,
                tight.request("/v1/revocations/stream?tenant=burst", keys.admin()).GET().build())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> own.get("ledger.api.sse.subscribers").gauge().value() >= 1);
      List<String> burst = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        burst.add(send("burst"));
      }
      producer.flush();

      // One queued notice is all it may lag: a burst indexed in one go overflows it.
      await().atMost(Duration.ofSeconds(30)).until(slow::ended);
      assertThat(own.get("ledger.api.sse.dropped").counter().count()).isGreaterThanOrEqualTo(1);

      // Resume once the whole burst is indexed, so the test is about replay, not a second overflow.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  index
                          .revocationsAfter(TenantScope.of("burst"), RevocationPosition.START, 1000)
                          .size()
                      == burst.size());
      String resumeFrom = slow.notices().isEmpty() ? "0" : slow.notices().getLast().id();
      try (SseReader resumed =
          SseReader.open(
              client,
              tight
                  .request("/v1/revocations/stream?tenant=burst", keys.admin())
                  .header("Last-Event-ID", resumeFrom)
                  .GET()
                  .build())) {
        // Replay needs no live queue, so it cannot overflow however far behind the client was.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> slow.notices().size() + resumed.notices().size() >= burst.size());
        List<String> received = new ArrayList<>();
        slow.notices().forEach(e -> received.add(data(e).get("token_id").asText()));
        resumed.notices().forEach(e -> received.add(data(e).get("token_id").asText()));
        // Partition order is production order per token, not across tokens.
        assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(burst);
        List<SseReader.Place> places = new ArrayList<>(slow.places(null));
        places.addAll(resumed.places(RevocationPosition.parse(resumeFrom)));
        assertThat(inEachPartitionsOrder(places)).isTrue();
      }
    }
  }

  @Test
  void oneCredentialCannotTakeEverySubscriberSlot() {
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestApi fair =
            TestApi.start(
                ApiSettings.builder().maxSseClients(3).maxSseClientsPerCredential(2).build(),
                new ApiContext(keys.store(), null, index, indexer, List.of(), own));
        SseReader first =
            SseReader.open(
                client, fair.request("/v1/revocations/stream", keys.auditorAcme()).GET().build());
        SseReader second =
            SseReader.open(
                client, fair.request("/v1/revocations/stream", keys.auditorAcme()).GET().build());
        SseReader third =
            SseReader.open(
                client, fair.request("/v1/revocations/stream", keys.auditorAcme()).GET().build());
        SseReader other =
            SseReader.open(
                client,
                fair.request("/v1/revocations/stream", keys.auditorGlobex()).GET().build());
        SseReader full =
            SseReader.open(
                client,
                fair.request("/v1/revocations/stream?tenant=x", keys.admin()).GET().build())) {
      assertThat(first.status).isEqualTo(200);
      assertThat(second.status).isEqualTo(200);
      assertThat(third.status).isEqualTo(429);
      assertThat(third.errorBody).contains("for this credential (at most 2)");
      assertThat(other.status).as("another credential still gets a slot").isEqualTo(200);
      assertThat(full.status).isEqualTo(429);
      assertThat(full.errorBody).contains("at most 3 in all");
    }
  }

  @Test
  void aStreamEndsWithinSecondsOfItsKeyBeingRevoked() {
    dev.ledger.api.auth.CreatedKey key =
        keys.store().create(dev.ledger.api.auth.Role.auditor, "acme", "revoked");
    try (SseReader reader = SseReader.open(client, stream("", key.secret()).build())) {
      assertThat(reader.status).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> reader.comments.get() >= 1);
      assertThat(reader.ended()).isFalse();
      long revoked = System.nanoTime();
      keys.store().revoke(key.keyId());
      await().atMost(Duration.ofSeconds(5)).until(reader::ended);
      LOG.info(
          "revocation stream ended {} ms after its key was revoked",
          (System.nanoTime() - revoked) / 1_000_000);
    }
  }

  @Test
  void idleStreamsGetKeepAliveComments() {
    try (SseReader reader =
        SseReader.open(client, stream("?tenant=nobody", keys.admin()).build())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> reader.comments.get() >= 2);
      assertThat(reader.events).isEmpty();
    }
  }

  @Test
  void checksFailBeforeTheStreamStarts() {
    try (SseReader cross =
            SseReader.open(client, stream("?tenant=globex", keys.auditorAcme()).build());
        SseReader badId =
            SseReader.open(
                client, stream("", keys.admin()).header("Last-Event-ID", "yesterday").build());
        SseReader twice =
            SseReader.open(
                client, stream("", keys.admin()).header("Last-Event-ID", "0:3,0:4,x:1").build());
        SseReader oldSequence =
            SseReader.open(
                client, stream("", keys.admin()).header("Last-Event-ID", "1099511627781").build());
        SseReader anonymous = SseReader.open(client, stream("", null).build());
        SseReader producerRole = SseReader.open(client, stream("", keys.producerAcme()).build())) {
      assertThat(cross.status).isEqualTo(403);
      assertThat(badId.status).isEqualTo(400);
      assertThat(badId.errorBody).contains("Last-Event-ID");
      assertThat(twice.status).isEqualTo(400);
      JsonNode details = TestApi.jsonLine(twice.errorBody).get("error").get("details");
      assertThat(details).hasSize(2);
      assertThat(details)
          .allSatisfy(d -> assertThat(d.get("parameter").asText()).isEqualTo("Last-Event-ID"));
      assertThat(details.get(0).get("reason").asText()).isEqualTo("partition 0 appears twice");
      assertThat(oldSequence.status).isEqualTo(400);
      assertThat(oldSequence.errorBody)
          .contains("contract v1.16 or earlier")
          .contains("Reconnect with 'Last-Event-ID: 0'");
      assertThat(anonymous.status).isEqualTo(401);
      assertThat(producerRole.status).isEqualTo(403);
    }
  }

  @Test
  void subscribersOverTheLimitAreToldToComeBackLater() {
    try (TestApi small =
            TestApi.start(
                ApiSettings.builder().maxSseClients(2).build(),
                new ApiContext(keys.store(), null, index, indexer, List.of(), null));
        SseReader a =
            SseReader.open(
                client, small.request("/v1/revocations/stream", keys.admin()).GET().build());
        SseReader b =
            SseReader.open(
                client, small.request("/v1/revocations/stream", keys.admin()).GET().build());
        SseReader c =
            SseReader.open(
                client, small.request("/v1/revocations/stream", keys.admin()).GET().build())) {
      assertThat(List.of(a.status, b.status)).containsOnly(200);
      assertThat(c.status).isEqualTo(429);
      assertThat(c.errorBody).contains("too_many_requests");
    }
  }
}

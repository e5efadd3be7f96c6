package dev.ledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationListener;
import dev.ledger.revocation.RevocationSource;
import dev.ledger.revocation.SubscriberStatus;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.UseBody;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example server's answers and reports, on an in-memory revocation source and a recording
 * reporter.
 */
class ExampleResourceServerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final FakeSource source = new FakeSource();
  final RecordingReporter reporter = new RecordingReporter();
  ExampleResourceServer server;

  @BeforeEach
  void start() {
    server =
        ExampleResourceServer.start(
            ExampleSettings.builder()
                .port(0)
                .tenant("acme")
                .audience("https://api.flights.example")
                .ledgerKey("unused")
                .build(),
            source,
            reporter);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokenWithoutRevocationIsServedAndItsUseReportedAsAllowed() throws Exception {
    HttpResponse<String> r =
        get(
            "/fares?route=LHR-JFK",
            "Authorization",
            "Bearer tok-5",
            "X-Agent",
            "agent:scraper",
            "X-Request-Id",
            "req-1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("route").asText()).isEqualTo("LHR-JFK");
    assertThat(body.get("fares")).hasSize(2);
    assertThat(r.headers().firstValue("X-Request-Id")).contains("req-1");

    LedgerEvent event = reporter.single();
    assertThat(event.getTenant()).isEqualTo("acme");
    UseBody use = event.getUse();
    assertThat(use.getTokenId()).isEqualTo("tok-5");
    assertThat(use.getResource()).isEqualTo("https://api.flights.example");
    assertThat(use.getAction()).isEqualTo("GET /fares?route=LHR-JFK");
    assertThat(use.getOutcome()).isEqualTo(Outcome.allowed);
    assertThat(use.getActor()).isEqualTo("agent:scraper");
    assertThat(use.getRequestId()).isEqualTo("req-1");
    assertThat(use.getReason()).isNull();
  }

  @Test
  void aTokenRevokedThroughAnAncestorIsRefusedAndItsUseReportedAsDenied() throws Exception {
    source.revoke(
        new Revocation("acme", "tok-5", Instant.parse("2026-11-23T10:00:00Z"), "tok-root", null));
    HttpResponse<String> r = get("/fares?route=LHR-JFK", "Authorization", "Bearer tok-5");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .isEqualTo("token revoked at 2026-11-23T10:00:00Z through the revocation of tok-root");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();

    UseBody use = reporter.single().getUse();
    assertThat(use.getOutcome()).isEqualTo(Outcome.denied);
    assertThat(use.getReason()).contains("tok-root");
    assertThat(use.getActor()).isNull();
    assertThat(use.getRequestId()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void untilTheRevocationsAreLoadedEveryTokenIsRefused() throws Exception {
    source.caughtUp = false;
    assertThat(get("/health").statusCode()).isEqualTo(503);
    HttpResponse<String> r = get("/fares?route=LHR-JFK", "Authorization", "Bearer tok-5");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("not loaded");
    assertThat((reporter.single().getUse()).getOutcome()).isEqualTo(Outcome.denied);

    source.caughtUp = true;
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/fares?route=LHR-JFK", "Authorization", "Bearer tok-5").statusCode())
        .isEqualTo(200);
  }

  @Test
  void withoutABearerTokenTheAnswerIs401AndNothingIsReported() throws Exception {
    assertThat(get("/fares?route=LHR-JFK").statusCode()).isEqualTo(401);
    HttpResponse<String> basic = get("/fares?route=LHR-JFK", "Authorization", "Basic YTpi");
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(basic.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(reporter.events).isEmpty();
  }

  @Test
  void aTokenIdTheContractRejectsIsStillAnsweredButNotReported() throws Exception {
    String huge = "t".repeat(5000);
    assertThat(get("/fares?route=LHR-JFK", "Authorization", "Bearer " + huge).statusCode())
        .isEqualTo(200);
    assertThat(reporter.events).isEmpty();
  }

  /** Records what would be sent. */
  static final class RecordingReporter implements UseReporter {
    final List<LedgerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public boolean report(LedgerEvent event) {
      return events.add(event);
    }

    LedgerEvent single() {
      assertThat(events).hasSize(1);
      return events.getFirst();
    }

    @Override
    public long delivered() {
      return events.size();
    }

    @Override
    public long lost() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** Revocations set by the test; fail closed like the real sources. */
  static final class FakeSource implements RevocationSource {
    final Map<String, Revocation> revoked = new ConcurrentHashMap<>();
    volatile boolean caughtUp = true;

    void revoke(Revocation r) {
      revoked.put(r.tenant() + "/" + r.tokenId(), r);
    }

    @Override
    public boolean isRevoked(String tenant, String tokenId) {
      return !caughtUp || revoked.containsKey(tenant + "/" + tokenId);
    }

    @Override
    public Optional<Revocation> lookup(String tenant, String tokenId) {
      return Optional.ofNullable(revoked.get(tenant + "/" + tokenId));
    }

    @Override
    public void addListener(RevocationListener listener) {}

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
      return caughtUp;
    }

    @Override
    public boolean isCaughtUp() {
      return caughtUp;
    }

    @Override
    public long lag() {
      return 0;
    }

    @Override
    public SubscriberStatus status() {
      return new SubscriberStatus(caughtUp, true, 0, revoked.size(), revoked.size(), 0, null, null);
    }

    @Override
    public void close() {}
  }
}

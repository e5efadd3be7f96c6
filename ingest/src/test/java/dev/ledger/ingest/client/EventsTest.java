package dev.ledger.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.testkit.Examples;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {

  private static final String AUTH = "https://auth.acme.example";
  private static final String FLIGHTS = "https://api.flights.example";

  /** The quickstart batch, built with the builders. */
  static List<LedgerEvent> quickstart() {
    return List.of(
        Events.issued("tok-root")
            .eventId("ev-001")
            .occurredAt(Instant.parse("2026-11-20T09:00:00Z"))
            .tenant("acme")
            .source(AUTH)
            .issuer(AUTH)
            .subject("user:dana")
            .actor("agent:travel-planner")
            .audience(FLIGHTS, "https://api.hotels.example")
            .scopes("flights:search", "flights:book", "hotels:search")
            .expiresAt(Instant.parse("2026-11-20T10:00:00Z"))
            .grant("authorization_code")
            .attribute("agent_model", "planner-7b")
            .attribute("agent_instance_id", "run-42")
            .build(),
        Events.exchanged("tok-flights", "tok-root")
            .eventId("ev-002")
            .occurredAt(Instant.parse("2026-11-20T09:00:05Z"))
            .tenant("acme")
            .source(AUTH)
            .issuer(AUTH)
            .actor("agent:flight-searcher")
            .audience(FLIGHTS)
            .scopes("flights:search")
            .expiresAt(Instant.parse("2026-11-20T09:30:00Z"))
            .maxUses(3L)
            .build(),
        Events.attenuated("tok-flights-lhr", "tok-flights")
            .eventId("ev-003")
            .occurredAt(Instant.parse("2026-11-20T09:00:07Z"))
            .tenant("acme")
            .source("agent:flight-searcher")
            .actor("agent:fare-scraper")
            .caveats("route == LHR-JFK")
            .build(),
        Events.used("tok-flights-lhr", FLIGHTS, "GET /fares?route=LHR-JFK", true)
            .eventId("ev-004")
            .occurredAt(Instant.parse("2026-11-20T09:00:09Z"))
            .tenant("acme")
            .source(FLIGHTS)
            .actor("agent:fare-scraper")
            .requestId("req-9")
            .build(),
        Events.revoked("tok-flights")
            .eventId("ev-005")
            .occurredAt(Instant.parse("2026-11-20T09:01:00Z"))
            .tenant("acme")
            .source(AUTH)
            .reason("agent misbehaving")
            .revokedBy("user:dana")
            .build(),
        Events.used("tok-flights-lhr", FLIGHTS, "GET /fares?route=LHR-JFK", true)
            .eventId("ev-006")
            .occurredAt(Instant.parse("2026-11-20T09:02:00Z"))
            .tenant("acme")
            .source(FLIGHTS)
            .actor("agent:fare-scraper")
            .requestId("req-10")
            .build());
  }

  @Test
  void theBuildersProduceExactlyTheContractExample() {
    List<LedgerEvent> expected =
        Examples.quickstartNdjson().lines().map(line -> EventJson.parse(line, null)).toList();
    assertThat(quickstart()).isEqualTo(expected);
  }

  @Test
  void aNewEventHasAFreshIdAndTheCurrentTime() {
    Instant before = Instant.now().minusMillis(1);
    LedgerEvent a = Events.revoked("tok").build();
    LedgerEvent b = Events.revoked("tok").build();
    assertThat(a.getEventId()).isNotEqualTo(b.getEventId()).hasSize(36);
    assertThat(a.getOccurredAt())
        .isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(a.getTenant()).isEqualTo("default");
  }

  @Test
  void buildingTwiceKeepsTheEventId() {
    var builder = Events.used("tok", "https://r", "GET /", false);
    assertThat(builder.build().getEventId()).isEqualTo(builder.build().getEventId());
    assertThat(builder.build().getUse().getOutcome().name()).isEqualTo("denied");
  }

  @Test
  void missingRequiredFieldsAreAllReported() {
    assertThatThrownBy(() -> Events.issued("tok-root").tenant("acme").build())
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactly(
                        "token.issuer",
                        "token.subject",
                        "token.actor",
                        "token.audience",
                        "token.scopes"));
  }

  @Test
  void theValidatorsLimitsApply() {
    assertThatThrownBy(
            () ->
                Events.exchanged("tok", "tok")
                    .issuer("i")
                    .actor("a")
                    .audience("x")
                    .scopes()
                    .maxUses(0L)
                    .tenant("a/b")
                    .build())
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactly("tenant", "token.parent_token_id", "token.max_uses"));
  }

  @Test
  void nullLeavesAFieldOutAndAttributesCanBeReplaced() {
    LedgerEvent event =
        Events.attenuated("c", "p")
            .actor("x")
            .actor(null)
            .attribute("k", "v")
            .attributes(Map.of("a", "b"))
            .build();
    assertThat(event.getToken().getActor()).isNull();
    assertThat(event.getToken().getAttributes()).isEqualTo(Map.of("a", "b"));
  }
}

package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-20T09:05:00.123456Z");

  @Test
  void mapsEveryFieldOfAnIssuedToken() {
    LedgerEvent event = EventJson.toAvro(TestEvents.valid(EventType.ISSUED), RECEIVED);
    assertThat(event.getEventId()).isEqualTo("ev-001");
    assertThat(event.getType()).isEqualTo("token.issued");
    assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
    assertThat(event.getReceivedAt()).isEqualTo(Instant.parse("2026-11-20T09:05:00.123Z"));
    assertThat(event.getTenant()).isEqualTo("acme");
    assertThat(event.getSource()).isEqualTo("https://auth.acme.example");
    assertThat(event.getUse()).isNull();
    assertThat(event.getRevocation()).isNull();
    var token = event.getToken();
    assertThat(token.getTokenId()).isEqualTo("tok-root");
    assertThat(token.getParentTokenId()).isNull();
    assertThat(token.getSubject()).isEqualTo("user:dana");
    assertThat(token.getActor()).isEqualTo("agent:travel-planner");
    assertThat(token.getAudience())
        .containsExactly("https://api.flights.example", "https://api.hotels.example");
    assertThat(token.getScopes())
        .containsExactly("flights:search", "flights:book", "hotels:search");
    assertThat(token.getExpiresAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(token.getGrant()).isEqualTo("authorization_code");
    assertThat(token.getAttributes()).containsEntry("agent_model", "planner-7b").hasSize(2);
    assertThat(token.getMaxUses()).isNull();
  }

  @Test
  void txnAndActiRoundTripAndAreLeftOutWhenAbsent() {
    ObjectNode json = TestEvents.valid(EventType.ATTENUATED);
    ((ObjectNode) json.get("token")).put("txn", "txn-42").put("acti", "wf-7");
    LedgerEvent event = EventJson.toAvro(json, null);
    assertThat(event.getToken().getTxn()).isEqualTo("txn-42");
    assertThat(event.getToken().getActi()).isEqualTo("wf-7");
    assertThat(EventJson.toJsonNode(event).get("token").get("txn").asText()).isEqualTo("txn-42");
    assertThat(EventJson.toJsonNode(event).get("token").get("acti").asText()).isEqualTo("wf-7");
    LedgerEvent plain = EventJson.toAvro(TestEvents.valid(EventType.ATTENUATED), null);
    assertThat(plain.getToken().getTxn()).isNull();
    assertThat(EventJson.toJsonNode(plain).get("token").has("txn")).isFalse();
  }

  @Test
  void anAttenuationLeavesInheritedFieldsNull() {
    var token = EventJson.toAvro(TestEvents.valid(EventType.ATTENUATED), null).getToken();
    assertThat(token.getAudience()).isNull();
    assertThat(token.getScopes()).isNull();
    assertThat(token.getExpiresAt()).isNull();
    assertThat(token.getCaveats()).containsExactly("route == LHR-JFK");
  }

  @Test
  void mapsUsesAndRevocations() {
    var use = EventJson.toAvro(TestEvents.valid(EventType.USED), null).getUse();
    assertThat(use.getOutcome()).isEqualTo(Outcome.allowed);
    assertThat(use.getRequestId()).isEqualTo("req-9");
    var revocation = EventJson.toAvro(TestEvents.valid(EventType.REVOKED), null).getRevocation();
    assertThat(revocation.getTokenId()).isEqualTo("tok-flights");
    assertThat(revocation.getRevokedBy()).isEqualTo("user:dana");
  }

  @Test
  void aMissingTenantIsDefaultAndOffsetsBecomeUtcMillis() {
    ObjectNode json = TestEvents.valid(EventType.REVOKED);
    json.remove("tenant");
    json.put("occurred_at", "2026-11-20T11:01:00.987654+02:00");
    LedgerEvent event = EventJson.toAvro(json, null);
    assertThat(event.getTenant()).isEqualTo("default");
    assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-11-20T09:01:00.987Z"));
  }

  @Test
  void everyQuickstartEventRendersBackToTheSameJson() {
    for (ObjectNode json : TestEvents.quickstart()) {
      LedgerEvent event = EventJson.toAvro(json, RECEIVED);
      assertThat(EventJson.toJsonNode(event)).isEqualTo(json);
      assertThat(EventJson.parse(EventJson.toJson(event), RECEIVED)).isEqualTo(event);
    }
  }

  @Test
  void unknownFieldsAreNotCarried() {
    ObjectNode json = TestEvents.valid(EventType.USED);
    json.put("trace_id", "abc");
    assertThat(EventJson.toJsonNode(EventJson.toAvro(json, null)).has("trace_id")).isFalse();
  }

  @Test
  void invalidEventsThrowWithEveryProblem() {
    assertThatThrownBy(() -> EventJson.parse("{\"type\":\"token.used\"}", null))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactly("event_id", "occurred_at", "use"));
    assertThatThrownBy(() -> EventJson.parse("{\"type\":", null))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.reason()).startsWith("not valid JSON")));
  }
}

package dev.ledger.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.testkit.Examples;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContractJsonTest {
  static final List<Hop> CHAIN =
      List.of(
          new Hop("tok-root", "agent:travel-planner", Via.issued),
          new Hop("tok-flights", "agent:flight-searcher", Via.exchanged),
          new Hop("tok-flights-lhr", "agent:fare-scraper", Via.attenuated));

  /** The token of docs/examples/token-response.json, as the stream processor would emit it. */
  static TokenNode exampleToken() {
    return TokenNode.newBuilder()
        .setTokenId("tok-flights-lhr")
        .setTenant("acme")
        .setParentId("tok-flights")
        .setRootId("tok-root")
        .setDepth(2)
        .setPrincipal("user:dana")
        .setActor("agent:fare-scraper")
        .setIssuer(null)
        .setChain(CHAIN)
        .setScopes(List.of("flights:search"))
        .setAudience(List.of("https://api.flights.example"))
        .setExpiresAt(Instant.parse("2026-11-20T09:30:00Z"))
        .setMaxUses(3L)
        .setUses(2)
        .setStatus(TokenStatus.revoked)
        .setRevokedAt(Instant.parse("2026-11-20T09:01:00Z"))
        .setRevocationCause("tok-flights")
        .setViolations(List.of(ViolationKind.use_after_revocation))
        .setVia(Via.attenuated)
        .setCaveats(List.of("route == LHR-JFK"))
        .setIssuedAt(Instant.parse("2026-11-20T09:00:07Z"))
        .build();
  }

  @Test
  void tokenRendersExactlyAsTheContractExample() throws Exception {
    JsonNode expected = ContractJson.mapper().readTree(Examples.tokenResponseJson());
    // Compare what goes on the wire: Jackson trees tell a long 3 from an int 3, JSON does not.
    String wire = ContractJson.mapper().writeValueAsString(ContractJson.token(exampleToken()));
    assertThat(ContractJson.mapper().readTree(wire)).isEqualTo(expected);
  }

  @Test
  void pendingTokenWritesAbsentValuesAsNull() {
    TokenNode pending =
        TokenNode.newBuilder()
            .setTokenId("t")
            .setTenant("acme")
            .setParentId("p")
            .setStatus(TokenStatus.pending)
            .setVia(Via.attenuated)
            .build();
    JsonNode json = ContractJson.token(pending);

    assertThat(json.get("root_id").isNull()).isTrue();
    assertThat(json.get("expires_at").isNull()).isTrue();
    assertThat(json.get("max_uses").isNull()).isTrue();
    assertThat(json.get("chain").isArray()).isTrue();
    assertThat(json.get("violations").isArray()).isTrue();
    assertThat(json.get("status").asText()).isEqualTo("pending");
  }

  @Test
  void auditRecordHasTheContractFieldsAndItsOwnViolations() {
    AuditRecord record =
        AuditRecord.newBuilder()
            .setEventId("ev-006")
            .setType("token.used")
            .setOccurredAt(Instant.parse("2026-11-20T09:02:00.250Z"))
            .setTenant("acme")
            .setTokenId("tok-flights-lhr")
            .setPrincipal("user:dana")
            .setActor("agent:fare-scraper")
            .setChain(CHAIN)
            .setResource("https://api.flights.example")
            .setAction("GET /fares")
            .setOutcome(Outcome.allowed)
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .setAttributes(Map.of("k", "v"))
            .build();
    JsonNode json = ContractJson.audit(record);

    assertThat(json.fieldNames())
        .toIterable()
        .startsWith(
            "event_id",
            "type",
            "occurred_at",
            "tenant",
            "token_id",
            "principal",
            "actor",
            "chain",
            "resource",
            "action",
            "outcome",
            "violations");
    assertThat(json.get("occurred_at").asText()).isEqualTo("2026-11-20T09:02:00.250Z");
    assertThat(json.get("outcome").asText()).isEqualTo("allowed");
    assertThat(json.get("violations").get(0).asText()).isEqualTo("use_after_revocation");
    assertThat(json.get("chain").get(2).get("via").asText()).isEqualTo("attenuated");
    assertThat(json.get("attributes").get("k").asText()).isEqualTo("v");
    assertThat(json.get("reason").isNull()).isTrue();
  }

  @Test
  void anAuditRecordShowsItsVerdictNowAndAsFirstRecorded() {
    AuditRecord.Builder use =
        AuditRecord.newBuilder()
            .setEventId("u3")
            .setType("token.used")
            .setOccurredAt(Instant.parse("2026-11-20T09:00:22Z"))
            .setTenant("acme")
            .setTokenId("t2")
            .setChain(CHAIN)
            .setOutcome(Outcome.allowed)
            .setViolations(List.of(ViolationKind.holder_mismatch));
    JsonNode never = ContractJson.audit(use.build());
    assertThat(never.get("recorded_violations"))
        .as("never amended: as recorded")
        .isEqualTo(never.get("violations"));
    assertThat(never.get("amended_at").isNull()).isTrue();
    assertThat(never.get("amendment").isNull()).isTrue();

    JsonNode amended =
        ContractJson.audit(
            use.setViolations(
                    List.of(ViolationKind.usage_limit_exceeded, ViolationKind.holder_mismatch))
                .setAmends(
                    AuditAmendment.newBuilder()
                        .setAdded(List.of(ViolationKind.usage_limit_exceeded))
                        .setRemoved(List.of())
                        .setRecordedViolations(List.of(ViolationKind.holder_mismatch))
                        .setCauseEventId("u1")
                        .setCauseTokenId("t2")
                        .setAmendedAt(Instant.parse("2026-12-03T19:00:00Z"))
                        .build())
                .build());
    assertThat(amended.get("violations").toString())
        .isEqualTo("[\"usage_limit_exceeded\",\"holder_mismatch\"]");
    assertThat(amended.get("recorded_violations").toString()).isEqualTo("[\"holder_mismatch\"]");
    assertThat(amended.get("amended_at").asText()).isEqualTo("2026-12-03T19:00:00Z");
    assertThat(amended.get("amendment").toString())
        .isEqualTo(
            "{\"added\":[\"usage_limit_exceeded\"],\"removed\":[],\"cause_event_id\":\"u1\",\"cause_token_id\":\"t2\"}");
  }

  @Test
  void alertAndRevocationUseLowercaseNamesAndUtcTimes() {
    Alert alert =
        Alert.newBuilder()
            .setAlertId("a1")
            .setKind(ViolationKind.escalation)
            .setTenant("acme")
            .setTokenId("t")
            .setOccurredAt(Instant.parse("2026-11-20T09:00:00Z"))
            .setMessage("wider scopes")
            .build();
    RevocationNotice notice =
        RevocationNotice.newBuilder()
            .setTenant("acme")
            .setTokenId("tok-flights-lhr")
            .setRootId("tok-root")
            .setRevokedAt(Instant.parse("2026-11-20T09:01:00Z"))
            .setRevocationCause("tok-flights")
            .setDepth(2)
            .build();

    assertThat(ContractJson.alert(alert).get("kind").asText()).isEqualTo("escalation");
    assertThat(ContractJson.alert(alert).get("occurred_at").asText())
        .isEqualTo("2026-11-20T09:00:00Z");
    JsonNode json = ContractJson.revocation(notice);
    assertThat(json.get("revoked_at").asText()).isEqualTo("2026-11-20T09:01:00Z");
    assertThat(json.get("revocation_cause").asText()).isEqualTo("tok-flights");
    assertThat(json.get("expires_at").isNull()).isTrue();
    assertThat(ContractJson.tombstone("acme", "t").toString())
        .isEqualTo("{\"tenant\":\"acme\",\"token_id\":\"t\"}");
  }
}

package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ingest.internal.Json;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.LedgerLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

  private static final JsonNode NUMBER = Json.MAPPER.getNodeFactory().numberNode(5);

  /** The only problem of an event at index 0. */
  private static Problem onlyProblem(JsonNode event) {
    List<Problem> problems = EventValidator.validate(event, 0);
    assertThat(problems).as("problems of %s", event).hasSize(1);
    return problems.get(0);
  }

  private static void assertOnly(JsonNode event, String field, String reasonPart) {
    Problem p = onlyProblem(event);
    assertThat(p.index()).isZero();
    assertThat(p.field()).isEqualTo(field);
    assertThat(p.reason()).contains(reasonPart);
  }

  private static ObjectNode body(ObjectNode event) {
    return (ObjectNode)
        event.get(EventType.fromWireName(event.get("type").textValue()).orElseThrow().bodyField());
  }

  @Test
  void theContractExampleBatchIsValid() {
    assertThat(EventValidator.validate(TestEvents.quickstart())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_id", "type", "occurred_at"})
  void envelopeFieldsAreRequired(String field) {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    event.remove(field);
    assertOnly(event, field, "is required");
  }

  @Test
  void aJsonNullCountsAsMissing() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    event.putNull("event_id");
    assertOnly(event, "event_id", "is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_id", "type", "occurred_at", "tenant", "source"})
  void envelopeStringsMustBeStrings(String field) {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.set(field, NUMBER);
    assertOnly(event, field, "must be a string, not the number 5");
  }

  @Test
  void eventIdIsOneTo128Characters() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.put("event_id", "e".repeat(128));
    assertThat(EventValidator.validate(event, 0)).isEmpty();
    event.put("event_id", "e".repeat(129));
    assertOnly(event, "event_id", "at most 128 characters, not 129");
    event.put("event_id", "");
    assertOnly(event, "event_id", "must not be empty");
  }

  @Test
  void typeMustBeOneOfTheFive() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.put("type", "token.stolen");
    assertOnly(event, "type", "must be one of token.issued, token.exchanged");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-20 09:00:00Z",
        "2026-11-20T09:00Z",
        "2026-11-20T09:00:00",
        "2026-13-20T09:00:00Z",
        "2026-11-31T09:00:00Z",
        "2026-11-20T09:00:00+0100",
        "yesterday",
        "1700000000"
      })
  void occurredAtMustBeRfc3339(String value) {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.put("occurred_at", value);
    assertOnly(event, "occurred_at", "RFC 3339");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-20T09:00:00Z",
        "2026-11-20t09:00:00z",
        "2026-11-20T11:00:00.123456789+02:00",
        "2026-11-20T04:00:00-05:00"
      })
  void rfc3339FormsAreAccepted(String value) {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.put("occurred_at", value);
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void tenantIsOptional() {
    ObjectNode event = TestEvents.valid(EventType.REVOKED);
    event.remove("tenant");
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme/eu", "acme corp", "äcme", "acme:1", "acme\u0000", "acme\u001f"})
  void tenantCharactersAreLimited(String tenant) {
    ObjectNode event = TestEvents.valid(EventType.REVOKED);
    event.put("tenant", tenant);
    assertOnly(event, "tenant", "may only contain " + LedgerKey.TENANT_CHARACTERS);
  }

  @Test
  void tenantIsOneTo128Characters() {
    ObjectNode event = TestEvents.valid(EventType.REVOKED);
    event.put("tenant", "A.b_c-9".repeat(19).substring(0, 128));
    assertThat(EventValidator.validate(event, 0)).isEmpty();
    event.put("tenant", "a".repeat(129));
    assertOnly(event, "tenant", "at most 128");
    event.put("tenant", "");
    assertOnly(event, "tenant", "must not be empty");
  }

  @Test
  void theBodyMatchingTheTypeIsRequired() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.remove("use");
    assertOnly(event, "use", "is required for a token.used event");
  }

  @Test
  void theBodyMustBeAnObject() {
    ObjectNode event = TestEvents.valid(EventType.REVOKED);
    event.put("revocation", "tok-flights");
    assertOnly(event, "revocation", "must be an object");
  }

  @Test
  void aBodyOfAnotherTypeDoesNotBelong() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    event.set("use", TestEvents.valid(EventType.USED).get("use"));
    assertOnly(event, "use", "does not belong to a token.issued event");
  }

  static Stream<Arguments> requiredBodyFields() {
    return Stream.of(
        Arguments.of(
            EventType.ISSUED,
            List.of("token_id", "issuer", "subject", "actor", "audience", "scopes")),
        Arguments.of(
            EventType.EXCHANGED,
            List.of("token_id", "parent_token_id", "issuer", "actor", "audience", "scopes")),
        Arguments.of(EventType.ATTENUATED, List.of("token_id", "parent_token_id")),
        Arguments.of(EventType.USED, List.of("token_id", "resource", "action", "outcome")),
        Arguments.of(EventType.REVOKED, List.of("token_id")));
  }

  @ParameterizedTest
  @MethodSource("requiredBodyFields")
  void bodyFieldsAreRequiredPerType(EventType type, List<String> required) {
    for (String field : required) {
      ObjectNode event = TestEvents.valid(type);
      body(event).remove(field);
      assertOnly(event, type.bodyField() + "." + field, "is required");
    }
  }

  @Test
  void optionalBodyFieldsMayBeLeftOut() {
    ObjectNode event = TestEvents.valid(EventType.ATTENUATED);
    body(event).remove(List.of("actor", "caveats"));
    assertThat(EventValidator.validate(event, 0)).isEmpty();
    ObjectNode issued = TestEvents.valid(EventType.ISSUED);
    body(issued).remove(List.of("expires_at", "grant", "attributes"));
    assertThat(EventValidator.validate(issued, 0)).isEmpty();
  }

  @Test
  void anIssuedTokenNeedsAnAudience() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    body(event).putArray("audience");
    assertOnly(event, "token.audience", "at least one audience");
  }

  @Test
  void arraysMustHoldStrings() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    ((ArrayNode) body(event).get("scopes")).add(7);
    assertOnly(event, "token.scopes[3]", "must be a string, not the number 7");
    ObjectNode other = TestEvents.valid(EventType.ISSUED);
    body(other).put("audience", "https://api.flights.example");
    assertOnly(other, "token.audience", "must be an array of strings, not a string");
    ObjectNode caveats = TestEvents.valid(EventType.ATTENUATED);
    body(caveats).put("caveats", true);
    assertOnly(caveats, "token.caveats", "must be an array of strings, not a boolean");
  }

  @Test
  void arrayItemsMustNotBeEmpty() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    ((ArrayNode) body(event).get("scopes")).add("");
    assertOnly(event, "token.scopes[1]", "must not be empty");
  }

  @Test
  void arraysAreBounded() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    ArrayNode scopes = body(event).putArray("scopes");
    for (int i = 0; i <= LedgerLimits.DEFAULTS.maxListItems(); i++) {
      scopes.add("s" + i);
    }
    assertOnly(event, "token.scopes", "at most 256 items");
  }

  @Test
  void expiresAtMustBeRfc3339() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    body(event).put("expires_at", "2026-11-20");
    assertOnly(event, "token.expires_at", "RFC 3339");
  }

  @Test
  void maxUsesMustBeAPositiveInteger() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    body(event).put("max_uses", 0);
    assertOnly(event, "token.max_uses", "greater than 0, not 0");
    body(event).put("max_uses", -3);
    assertOnly(event, "token.max_uses", "greater than 0, not -3");
    body(event).put("max_uses", 1.5);
    assertOnly(event, "token.max_uses", "whole number");
    body(event).put("max_uses", "3");
    assertOnly(event, "token.max_uses", "whole number from 1 to 9223372036854775807, not a string");
    body(event).put("max_uses", new java.math.BigInteger("100000000000000000000"));
    assertOnly(event, "token.max_uses", "whole number");
    body(event).put("max_uses", Long.MAX_VALUE);
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void attributesAreAMapOfStrings() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    ((ObjectNode) body(event).get("attributes")).put("agent_version", 3);
    assertOnly(event, "token.attributes.agent_version", "must be a string");
    ObjectNode use = TestEvents.valid(EventType.USED);
    body(use).putArray("attributes");
    assertOnly(use, "use.attributes", "must be an object of string values, not an array");
  }

  @Test
  void attributeKeysAreBounded() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    ((ObjectNode) body(event).get("attributes")).put("k".repeat(257), "v");
    assertOnly(event, "token.attributes." + "k".repeat(257), "a key must be 1..256 characters");
  }

  @Test
  void tokenIdsAreOneTo256Characters() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    body(event).put("token_id", "t".repeat(256));
    assertThat(EventValidator.validate(event, 0)).isEmpty();
    body(event).put("token_id", "t".repeat(257));
    assertOnly(event, "token.token_id", "at most 256");
    body(event).put("token_id", "tok").put("parent_token_id", "p".repeat(257));
    assertOnly(event, "token.parent_token_id", "at most 256");
    ObjectNode use = TestEvents.valid(EventType.USED);
    body(use).put("token_id", "");
    assertOnly(use, "use.token_id", "must not be empty");
  }

  /** Every id field of every type: the field's JSON path, for an event of that type. */
  static Stream<Arguments> idFields() {
    return Stream.of(
        Arguments.of(EventType.ISSUED, "event_id"),
        Arguments.of(EventType.ISSUED, "token.token_id"),
        Arguments.of(EventType.EXCHANGED, "token.token_id"),
        Arguments.of(EventType.EXCHANGED, "token.parent_token_id"),
        Arguments.of(EventType.ATTENUATED, "token.token_id"),
        Arguments.of(EventType.ATTENUATED, "token.parent_token_id"),
        Arguments.of(EventType.USED, "use.token_id"),
        Arguments.of(EventType.REVOKED, "revocation.token_id"));
  }

  /** Both ends of both ranges of Character.isISOControl, in every id field. */
  static Stream<Arguments> controlCharactersInIdFields() {
    return idFields()
        .flatMap(
            field ->
                Stream.of(0x00, 0x1f, 0x7f, 0x9f)
                    .map(control -> Arguments.of(field.get()[0], field.get()[1], control)));
  }

  /**
   * {@code event} with {@code id} at the JSON path {@code field} (an envelope field or body.field).
   */
  private static ObjectNode withId(ObjectNode event, String field, String id) {
    int dot = field.indexOf('.');
    ObjectNode at = dot < 0 ? event : (ObjectNode) event.get(field.substring(0, dot));
    at.put(field.substring(dot + 1), id);
    return event;
  }

  @ParameterizedTest(name = "{1} of {0} with code point {2}")
  @MethodSource("controlCharactersInIdFields")
  void anIdWithAControlCharacterIsRejectedNamingTheField(
      EventType type, String field, int control) {
    ObjectNode event = withId(TestEvents.valid(type), field, "tok-" + (char) control + "-1");
    assertOnly(event, field, "must not contain control characters");
    assertOnly(event, field, String.format("found U+%04X at index 4", control));
  }

  @ParameterizedTest(name = "{1} of {0}")
  @MethodSource("idFields")
  void idsInAnyScriptAreValid(EventType type, String field) {
    ObjectNode event = withId(TestEvents.valid(type), field, "jöhn-ü 名前/x\u00a0y");
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void everyIdWithAControlCharacterIsReported() {
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    event.put("event_id", "ev\u0000");
    body(event).put("token_id", "tok\u0000").put("parent_token_id", "tok\u001f");
    assertThat(EventValidator.validate(event, 0))
        .extracting(Problem::field)
        .containsExactly("event_id", "token.token_id", "token.parent_token_id");
  }

  @Test
  void aTokenCannotBeItsOwnParent() {
    ObjectNode event = TestEvents.valid(EventType.ATTENUATED);
    body(event).put("parent_token_id", body(event).get("token_id").textValue());
    assertOnly(event, "token.parent_token_id", "cannot be its own parent");
  }

  @Test
  void anIssuedTokenHasNoParent() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    body(event).put("parent_token_id", "tok-other");
    assertOnly(event, "token.parent_token_id", "a root token has no parent");
  }

  @Test
  void outcomeIsAllowedOrDenied() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    body(event).put("outcome", "ALLOWED");
    assertOnly(event, "use.outcome", "must be allowed or denied");
    body(event).put("outcome", "denied");
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void freeTextIsBounded() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    body(event).put("issuer", "i".repeat(LedgerLimits.DEFAULTS.maxTextLength() + 1));
    assertOnly(event, "token.issuer", "at most 1024 characters, not 1025");
    ObjectNode revoked = TestEvents.valid(EventType.REVOKED);
    body(revoked).put("reason", "");
    assertOnly(revoked, "revocation.reason", "must not be empty");
  }

  @Test
  void txnAndActiAreOptionalBoundedStringsOnEveryTokenBody() {
    for (EventType type : List.of(EventType.ISSUED, EventType.EXCHANGED, EventType.ATTENUATED)) {
      ObjectNode event = TestEvents.valid(type);
      body(event).put("txn", "97053963-771d-49cc").put("acti", "wf-7");
      assertThat(EventValidator.validate(event, 0)).as(type.wireName()).isEmpty();
      body(event).put("txn", "");
      assertOnly(event, "token.txn", "must not be empty");
      body(event).put("txn", "t").put("acti", "w".repeat(1025));
      assertOnly(event, "token.acti", "at most 1024 characters");
      body(event).put("acti", 7);
      assertOnly(event, "token.acti", "must be a string");
    }
  }

  @Test
  void producerTextIsBoundedByTheSharedLimitsNamingFieldAndLimit() {
    // The issue's poison chain: 4 KB actor strings used to be accepted.
    ObjectNode event = TestEvents.valid(EventType.EXCHANGED);
    body(event).put("actor", "a".repeat(4096));
    assertOnly(event, "token.actor", "must be at most 1024 characters, not 4096");
    ObjectNode used = TestEvents.valid(EventType.USED);
    body(used).put("resource", "r".repeat(1025));
    assertOnly(used, "use.resource", "at most 1024 characters");
    ObjectNode source = TestEvents.valid(EventType.REVOKED);
    source.put("source", "s".repeat(1025));
    assertOnly(source, "source", "at most 1024 characters");
  }

  @Test
  void attributeMapsHoldAtMost64Entries() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    ObjectNode attributes = body(event).putObject("attributes");
    for (int i = 0; i < 64; i++) {
      attributes.put("k" + i, "v");
    }
    assertThat(EventValidator.validate(event, 0)).isEmpty();
    attributes.put("k64", "v");
    assertOnly(event, "use.attributes", "must have at most 64 entries, not 65");
  }

  @Test
  void configuredLimitsApply() {
    LedgerLimits tight = LedgerLimits.builder().maxTextLength(30).maxTokenIdLength(5).build();
    ObjectNode event = TestEvents.valid(EventType.REVOKED);
    body(event).put("token_id", "tok-123");
    assertThat(EventValidator.validate(event, 0, tight))
        .extracting(Problem::field, Problem::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "revocation.token_id", "must be at most 5 characters, not 7"));
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void aHugeEventIsRefusedAsAWhole() {
    ObjectNode event = TestEvents.valid(EventType.ISSUED);
    for (int i = 0; i < 20; i++) {
      event.put("unknown_" + i, "x".repeat(4000));
    }
    assertOnly(event, null, "is too large");
  }

  @Test
  void unknownFieldsAreIgnored() {
    ObjectNode event = TestEvents.valid(EventType.USED);
    event.put("trace_id", 42);
    body(event).putObject("future_field").put("x", 1);
    assertThat(EventValidator.validate(event, 0)).isEmpty();
  }

  @Test
  void anEventMustBeAnObject() {
    List<JsonNode> batch = new ArrayList<>(TestEvents.quickstart());
    batch.set(2, Json.MAPPER.getNodeFactory().textNode("ev-003"));
    assertThat(EventValidator.validate(batch))
        .containsExactly(new Problem(2, null, "must be a JSON object"));
  }

  @Test
  void duplicateEventsReportTheLaterIndex() {
    List<ObjectNode> batch = TestEvents.quickstart();
    // ev-002 exchanged tok-flights, which event 4 revokes: the same token, the same event id.
    batch.get(4).put("event_id", "ev-002");
    assertThat(EventValidator.validate(batch))
        .containsExactly(
            new Problem(
                4,
                "event_id",
                "duplicates event 1 in this batch (same tenant, token_id and event_id)"));
  }

  /** CONTRACT.md v1.10: an event is (tenant, token, event id). */
  @Test
  void theSameEventIdOnAnotherTokenOrTenantIsAnotherEvent() {
    List<ObjectNode> batch = TestEvents.quickstart();
    batch.get(3).put("event_id", "ev-001"); // a use of tok-flights-lhr; ev-001 issued tok-root
    ObjectNode elsewhere = batch.get(5).deepCopy().put("tenant", "other");
    List<ObjectNode> withOtherTenant = new ArrayList<>(batch);
    withOtherTenant.add(elsewhere);
    assertThat(EventValidator.validate(withOtherTenant)).isEmpty();
  }

  @Test
  void everyProblemOfEveryEventIsReported() {
    List<ObjectNode> batch = TestEvents.quickstart();
    batch.get(0).remove("event_id");
    body(batch.get(0)).remove("subject");
    batch.get(3).put("occurred_at", "soon");
    body(batch.get(3)).put("outcome", "maybe");
    body(batch.get(5)).put("token_id", 1);
    assertThat(EventValidator.validate(batch))
        .extracting(Problem::index, Problem::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "event_id"),
            org.assertj.core.groups.Tuple.tuple(0, "token.subject"),
            org.assertj.core.groups.Tuple.tuple(3, "occurred_at"),
            org.assertj.core.groups.Tuple.tuple(3, "use.outcome"),
            org.assertj.core.groups.Tuple.tuple(5, "use.token_id"));
  }

  @Test
  void nullEntriesAreSkipped() {
    List<JsonNode> batch = new ArrayList<>(TestEvents.quickstart());
    batch.set(1, null);
    assertThat(EventValidator.validate(batch)).isEmpty();
  }
}

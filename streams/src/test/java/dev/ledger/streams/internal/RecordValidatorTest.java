package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.streams.testing.Events;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidatorTest {

  private static final LedgerEvent ROOT =
      Events.issued(
          "acme", "e1", "r", "user:u", "agent:r", List.of("a"), List.of("s"), null, null, T0);

  @Test
  void aValidEventHasNoProblems() {
    assertThat(RecordValidator.validate("acme/r", ROOT)).isEmpty();
    assertThat(RecordValidator.validate("acme/x", Events.revoked("acme", "e2", "x", T0))).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    LedgerEvent bad =
        LedgerEvent.newBuilder(ROOT)
            .setEventId("")
            .setTenant("a/b")
            .setToken(
                TokenBody.newBuilder(ROOT.getToken())
                    .setSubject(null)
                    .setParentTokenId("p")
                    .setScopes(null)
                    .build())
            .setRevocation(Events.revoked("acme", "x", "x", T0).getRevocation())
            .build();
    assertThat(RecordValidator.validate("acme/r", bad))
        .extracting(RecordProblem::field)
        .containsExactlyInAnyOrder(
            "event_id", "tenant", null, "token.subject", "token.parent_token_id", "token.scopes");
  }

  @Test
  void unknownTypesAndWrongKeysAreRejected() {
    assertThat(
            RecordValidator.validate(
                "acme/r", LedgerEvent.newBuilder(ROOT).setType("token.minted").build()))
        .extracting(RecordProblem::code)
        .containsExactly("unknown_type");
    assertThat(RecordValidator.validate("other/r", ROOT))
        .extracting(RecordProblem::code)
        .containsExactly("key_mismatch");
    assertThat(RecordValidator.validate(null, ROOT))
        .extracting(RecordProblem::code)
        .containsExactly("key_mismatch");
  }

  @Test
  void aChildNeedsAParent() {
    LedgerEvent orphan = Events.attenuated("acme", "e3", "c", null, null, T0);
    assertThat(RecordValidator.validate("acme/c", orphan))
        .extracting(RecordProblem::field)
        .containsExactly("token.parent_token_id");
  }

  /** Each id field, with an otherwise valid event that carries a given id there. */
  static Stream<Arguments> idFields() {
    return Stream.of(
        Arguments.of("event_id", withId(id -> Events.revoked("acme", id, "x", T0))),
        Arguments.of(
            "token.token_id",
            withId(
                id ->
                    Events.issued(
                        "acme",
                        "e1",
                        id,
                        "user:u",
                        "agent:r",
                        List.of("a"),
                        List.of("s"),
                        null,
                        null,
                        T0))),
        Arguments.of(
            "token.token_id", withId(id -> Events.attenuated("acme", "e2", id, "r", null, T0))),
        Arguments.of(
            "token.parent_token_id",
            withId(
                id ->
                    Events.exchanged(
                        "acme",
                        "e3",
                        "c",
                        id,
                        "agent:c",
                        List.of("a"),
                        List.of("s"),
                        null,
                        null,
                        T0))),
        Arguments.of(
            "token.parent_token_id",
            withId(id -> Events.attenuated("acme", "e4", "c", id, null, T0))),
        Arguments.of(
            "use.token_id",
            withId(id -> Events.used("acme", "e5", id, "a", "agent:r", Outcome.allowed, T0))),
        Arguments.of("revocation.token_id", withId(id -> Events.revoked("acme", "e6", id, T0))));
  }

  /** Both ends of both ranges of Character.isISOControl, in every id field. */
  static Stream<Arguments> controlCharactersInIdFields() {
    return idFields()
        .flatMap(
            field ->
                Stream.of(0x00, 0x1f, 0x7f, 0x9f)
                    .map(control -> Arguments.of(field.get()[0], field.get()[1], control)));
  }

  /** Gives a lambda the target type that {@code Arguments.of(Object...)} cannot. */
  private static Function<String, LedgerEvent> withId(Function<String, LedgerEvent> withId) {
    return withId;
  }

  @ParameterizedTest(name = "{0} with code point {2}")
  @MethodSource("controlCharactersInIdFields")
  void anIdWithAControlCharacterIsRejectedNamingTheField(
      String field, Function<String, LedgerEvent> withId, int control) {
    LedgerEvent event = withId.apply("tok-" + (char) control + "-1");
    List<RecordProblem> problems = RecordValidator.validate(Events.key(event), event);
    assertThat(problems)
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactly(tuple("invalid_field", field));
    assertThat(problems.get(0).message())
        .contains("control characters", String.format("U+%04X", control));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idFields")
  void idsInAnyScriptAreValid(String field, Function<String, LedgerEvent> withId) {
    LedgerEvent event = withId.apply("jöhn-ü 名前/x\u00a0y");
    assertThat(RecordValidator.validate(Events.key(event), event)).isEmpty();
  }

  @Test
  void everyIdWithAControlCharacterIsReported() {
    LedgerEvent event =
        Events.exchanged(
            "acme",
            "e\u0000",
            "c\u0000",
            "r\u001f",
            "agent:c",
            List.of("a"),
            List.of("s"),
            null,
            null,
            T0);
    assertThat(RecordValidator.validate(Events.key(event), event))
        .extracting(RecordProblem::field)
        .containsExactly("event_id", "token.token_id", "token.parent_token_id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme\u0000x", "acme\u001f", "acme\u0085"})
  void aTenantWithAControlCharacterIsRejected(String tenant) {
    assertThat(RecordValidator.validate("acme/r", Events.inTenant(ROOT, tenant)))
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactly(tuple("invalid_field", "tenant"));
  }

  @Test
  void everyFieldBeyondItsSizeIsTooLargeAndAListIsReportedOnce() {
    TokenBody body =
        TokenBody.newBuilder(ROOT.getToken())
            .setTokenId("t".repeat(257))
            .setActor("a".repeat(1025))
            .setScopes(Collections.nCopies(257, "s"))
            .setAudience(List.of("ok", "x".repeat(1025), "y".repeat(2000)))
            .setAttributes(
                IntStream.range(0, 65).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v")))
            .build();
    LedgerEvent event =
        LedgerEvent.newBuilder(ROOT)
            .setEventId("e".repeat(129))
            .setSource("s".repeat(1025))
            .setToken(body)
            .build();
    assertThat(RecordValidator.validate(Events.key(event), event))
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactlyInAnyOrder(
            tuple("too_large", "event_id"),
            tuple("too_large", "source"),
            tuple("too_large", "token.token_id"),
            tuple("too_large", "token.actor"),
            tuple("too_large", "token.scopes"),
            tuple("too_large", "token.audience"),
            tuple("too_large", "token.attributes"));
    LedgerEvent use = Events.used("acme", "u1", "r", "r".repeat(1025), null, Outcome.allowed, T0);
    assertThat(RecordValidator.validate("acme/r", use))
        .extracting(RecordProblem::field)
        .containsExactly("use.resource");
  }

  @Test
  void theWholeEventsTextIsBoundedAndTheLimitsAreSettings() {
    TokenBody body =
        TokenBody.newBuilder(ROOT.getToken())
            .setCaveats(Collections.nCopies(70, "c".repeat(1000)))
            .build();
    LedgerEvent event = LedgerEvent.newBuilder(ROOT).setToken(body).build();
    assertThat(RecordValidator.validate("acme/r", event))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.code()).isEqualTo("too_large");
              assertThat(p.field()).isNull();
              assertThat(p.message()).contains("at most 65536");
            });
    assertThat(
            RecordValidator.validate(
                "acme/r", ROOT, LedgerLimits.builder().maxTextLength(6).build()))
        .extracting(RecordProblem::field)
        .containsExactly("type", "token.issuer", "token.actor");
  }

  // The rules below are ingest's too (EventRules in schemas); before they were shared, an event
  // written straight to Kafka passed each of them.

  @ParameterizedTest
  @ValueSource(longs = {0, -3})
  void aBudgetAllowsAtLeastOneUse(long maxUses) {
    LedgerEvent event =
        LedgerEvent.newBuilder(ROOT)
            .setToken(TokenBody.newBuilder(ROOT.getToken()).setMaxUses(maxUses).build())
            .build();
    List<RecordProblem> problems = RecordValidator.validate("acme/r", event);
    assertThat(problems)
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactly(tuple("invalid_field", "token.max_uses"));
    assertThat(problems.get(0).message()).isEqualTo("must be greater than 0, not " + maxUses);
  }

  @Test
  void anIssuanceAndAnExchangeNameTheirIssuer() {
    LedgerEvent root =
        LedgerEvent.newBuilder(ROOT)
            .setToken(TokenBody.newBuilder(ROOT.getToken()).setIssuer(null).build())
            .build();
    LedgerEvent exchanged =
        Events.exchanged(
            "acme", "e2", "c", "r", "agent:c", List.of("a"), List.of("s"), null, null, T0);
    LedgerEvent anonymous =
        LedgerEvent.newBuilder(exchanged)
            .setToken(TokenBody.newBuilder(exchanged.getToken()).setIssuer(null).build())
            .build();
    for (LedgerEvent event : List.of(root, anonymous)) {
      assertThat(RecordValidator.validate(Events.key(event), event))
          .extracting(RecordProblem::code, RecordProblem::field)
          .containsExactly(tuple("missing_field", "token.issuer"));
    }
    assertThat(
            RecordValidator.validate(
                "acme/c", Events.attenuated("acme", "e3", "c", "r", "agent:c", T0)))
        .as("an attenuation inherits its issuer")
        .isEmpty();
  }

  @Test
  void aTokenIsNotItsOwnParent() {
    LedgerEvent event = Events.attenuated("acme", "e3", "c", "c", null, T0);
    List<RecordProblem> problems = RecordValidator.validate("acme/c", event);
    assertThat(problems)
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactly(tuple("invalid_field", "token.parent_token_id"));
    assertThat(problems.get(0).message()).contains("cannot be its own parent");
  }

  @Test
  void aRootNamesAtLeastOneAudience() {
    LedgerEvent event =
        Events.issued(
            "acme", "e1", "r", "user:u", "agent:r", List.of(), List.of("s"), null, null, T0);
    assertThat(RecordValidator.validate("acme/r", event))
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactly(tuple("invalid_field", "token.audience"));
    LedgerEvent child =
        Events.exchanged(
            "acme", "e2", "c", "r", "agent:c", List.of(), List.of("s"), null, null, T0);
    assertThat(RecordValidator.validate("acme/c", child))
        .as("a child may narrow its audience to none")
        .isEmpty();
  }

  @Test
  void noProducerTextIsEmpty() {
    LedgerEvent token =
        LedgerEvent.newBuilder(ROOT)
            .setEventId("")
            .setSource("")
            .setToken(
                TokenBody.newBuilder(ROOT.getToken())
                    .setSubject("")
                    .setScopes(List.of("s", "", ""))
                    .setAttributes(java.util.Map.of("", "v"))
                    .build())
            .build();
    assertThat(RecordValidator.validate("acme/r", token))
        .extracting(RecordProblem::code, RecordProblem::field)
        .containsExactlyInAnyOrder(
            tuple("invalid_field", "event_id"),
            tuple("invalid_field", "source"),
            tuple("invalid_field", "token.subject"),
            tuple("invalid_field", "token.scopes"),
            tuple("invalid_field", "token.attributes key"));
    LedgerEvent use = Events.used("acme", "u1", "r", "", "", Outcome.allowed, T0);
    assertThat(RecordValidator.validate("acme/r", use))
        .extracting(RecordProblem::code, RecordProblem::field, RecordProblem::message)
        .containsExactlyInAnyOrder(
            tuple("invalid_field", "use.resource", "must not be empty"),
            tuple("invalid_field", "use.actor", "must not be empty"));
  }
}

package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.streams.testing.Events;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  private static final LedgerEvent ROOT =
      Events.issued("acme", "e1", "r", "user:u", "agent:r", List.of("a"), List.of("s"), null, null, T0);

  @Test
  void aValidEventHasNoProblems() {
    assertThat(EventValidator.validate("acme/r", ROOT)).isEmpty();
    assertThat(EventValidator.validate("acme/x", Events.revoked("acme", "e2", "x", T0))).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    LedgerEvent bad = LedgerEvent.newBuilder(ROOT).setEventId("").setTenant("a/b")
        .setToken(TokenBody.newBuilder(ROOT.getToken()).setSubject(null).setParentTokenId("p").setScopes(null).build())
        .setRevocation(Events.revoked("acme", "x", "x", T0).getRevocation())
        .build();
    assertThat(EventValidator.validate("acme/r", bad)).extracting(Problem::field)
        .containsExactlyInAnyOrder("event_id", "tenant", null, "token.subject", "token.parent_token_id", "token.scopes");
  }

  @Test
  void unknownTypesAndWrongKeysAreRejected() {
    assertThat(EventValidator.validate("acme/r", LedgerEvent.newBuilder(ROOT).setType("token.minted").build()))
        .extracting(Problem::code).containsExactly("unknown_type");
    assertThat(EventValidator.validate("other/r", ROOT)).extracting(Problem::code).containsExactly("key_mismatch");
    assertThat(EventValidator.validate(null, ROOT)).extracting(Problem::code).containsExactly("key_mismatch");
  }

  @Test
  void aChildNeedsAParent() {
    LedgerEvent orphan = Events.attenuated("acme", "e3", "c", null, null, T0);
    assertThat(EventValidator.validate("acme/c", orphan)).extracting(Problem::field).containsExactly("token.parent_token_id");
  }
}

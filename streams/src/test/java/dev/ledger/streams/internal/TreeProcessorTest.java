package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The dispatch: each {@link TreeMessage} reaches the collaborator it concerns, and a use or
 * revocation of a token not attached yet waits for it. The semantics are tested with each
 * collaborator ({@link AttachmentTest}, {@link UsesTest}, {@link BudgetsTest}, {@link CascadeTest},
 * {@link ExpiryTest}).
 */
class TreeProcessorTest {

  private final TreeFixture f = new TreeFixture();

  @Test
  void aRevocationBeforeItsTokenMakesTheTokenBornRevoked() {
    f.tree(TreeFixture.root());
    f.tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.AUDIT)).as("audited when the token is").hasSize(1);
    assertThat(f.sent(Outputs.REVOCATIONS)).isEmpty();
    f.h.clear();
    f.tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    assertThat(f.latest("t/a").getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(f.sent(Outputs.REVOCATIONS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/a");
              assertThat(((RevocationNotice) r.value()).getEventId()).isEqualTo("rev-a");
            });
    assertThat(f.sent(Outputs.AUDIT))
        .extracting(r -> ((AuditRecord) r.value()).getEventId())
        .containsExactly("ev-a", "rev-a");
  }

  @Test
  void aUseBeforeItsTokenIsJudgedWhenTheTokenIsAttached() {
    f.tree(TreeFixture.root());
    f.h.clear();
    f.tree(Events.used("t", "u1", "a", "api", null, Outcome.allowed, T0.plusSeconds(1)));
    assertThat(f.h.context.forwarded()).as("nothing to judge it by yet").isEmpty();
    f.tree(Events.revoked("t", "rev-r", "r", T0));
    f.tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    assertThat(f.sent(Outputs.AUDIT))
        .filteredOn(r -> ((AuditRecord) r.value()).getEventId().equals("u1"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(((AuditRecord) r.value()).getViolations())
                    .contains(ViolationKind.use_after_revocation));
  }

  @Test
  void aFollowUpReachesTheCascadeAndAnythingElseTheTreeItsTokenIsIn() {
    f.buildTree();
    f.h.holdingFollowUps().clear();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.TOKENS)).extracting(Record::key).containsExactly("t/r");
    f.h.releaseFollowUps();
    assertThat(f.sent(Outputs.TOKENS)).extracting(Record::key).containsExactly("t/r", "t/a", "t/b");
  }
}

package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class AttachmentTest {

  private final TreeFixture f = new TreeFixture();
  private final Attachment attachment = f.processor.attachment();

  private void define(LedgerEvent definition, boolean audited) {
    attachment.define(
        LedgerKey.of(definition.getTenant(), definition.getToken().getTokenId()).toString(),
        new TreeMessage.Definition(definition, audited));
  }

  @Test
  void aChildArrivingBeforeItsParentIsAttachedWithItsSubtree() {
    define(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0), false);
    define(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0), false);
    assertThat(f.sent(Outputs.TOKENS)).isEmpty();
    KeyValueStore<String, String> children = f.h.context.getStateStore(LedgerStores.CHILDREN);
    assertThat(children.approximateNumEntries()).as("both wait on their parent").isEqualTo(2);
    define(TreeFixture.root(), false);
    assertThat(f.sent(Outputs.TOKENS)).extracting(Record::key).containsExactly("t/r", "t/a", "t/b");
    assertThat(f.latest("t/b").getDepth()).isEqualTo(2);
    assertThat(f.latest("t/b").getChain())
        .extracting(h -> h.getTokenId())
        .containsExactly("r", "a", "b");
    assertThat(f.sent(Outputs.AUDIT)).as("one audit record each").hasSize(3);
    KeyValueStore<String, String> subtrees = f.h.context.getStateStore(LedgerStores.SUBTREES);
    assertThat(subtrees.approximateNumEntries()).as("each indexed for cascades").isEqualTo(3);
    assertThat(children.approximateNumEntries())
        .as("drained once their parents were attached: the store holds only what waits")
        .isZero();
  }

  @Test
  void aChildOfAnAttachedParentNeedsNoChildrenEntry() {
    define(TreeFixture.root(), false);
    define(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0), false);
    KeyValueStore<String, String> children = f.h.context.getStateStore(LedgerStores.CHILDREN);
    assertThat(children.approximateNumEntries()).isZero();
    assertThat(f.latest("t/a").getExpiresAt()).as("inherited").isEqualTo(TreeFixture.EXPIRES);
  }

  @Test
  void aRepeatedDefinitionIsDropped() {
    define(TreeFixture.root(), false);
    f.h.clear();
    define(TreeFixture.root(), false);
    assertThat(f.h.context.forwarded()).isEmpty();
  }

  @Test
  void whatWaitedForATokenIsJudgedOnceItIsAttached() {
    define(TreeFixture.root(), false);
    LedgerEvent use =
        Events.used("t", "u1", "a", "api", "agent:evil", Outcome.allowed, T0.plusSeconds(1));
    attachment.park("t/a", new TreeMessage.Use(use, false));
    attachment.park(
        "t/a",
        new TreeMessage.Revocation(Events.revoked("t", "rv", "a", T0.plusSeconds(2)), false));
    f.h.clear();
    define(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0), false);
    assertThat(f.sent(Outputs.AUDIT))
        .extracting(r -> ((AuditRecord) r.value()).getEventId())
        .as("the token, then what waited, by event id")
        .containsExactly("ev-a", "rv", "u1");
    AuditRecord used = (AuditRecord) f.sent(Outputs.AUDIT).get(2).value();
    assertThat(used.getViolations())
        .as("judged by the token it waited for")
        .contains(ViolationKind.holder_mismatch);
    KeyValueStore<String, TreeMessage> waiting = f.h.context.getStateStore(LedgerStores.WAITING);
    assertThat(waiting.approximateNumEntries()).as("drained").isZero();
  }

  @Test
  void anOrphanAuditedByStageOneGetsItsVerdictAsAnAmendmentOnly() {
    define(TreeFixture.root(), false);
    f.h.clear();
    define(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0), true);
    assertThat(f.sent(Outputs.AUDIT)).as("no verdict to add: no second record").isEmpty();
    assertThat(f.sent(Outputs.TOKENS)).extracting(Record::key).containsExactly("t/a");
    define(
        Events.exchanged(
            "t", "ev-w", "w", "r", "agent:w", List.of("api"), List.of("write"), null, null, T0),
        true);
    AuditRecord amendment = (AuditRecord) f.sent(Outputs.AUDIT).getLast().value();
    assertThat(amendment.getEventId()).isEqualTo("ev-w");
    assertThat(amendment.getAmends().getCauseEventId())
        .as("the parent completed the chain")
        .isEqualTo("ev-r");
    assertThat(amendment.getViolations()).containsExactly(ViolationKind.escalation);
    assertThat(f.sent(Outputs.ALERTS)).hasSize(1);
  }
}

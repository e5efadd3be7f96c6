package dev.ledger.streams.internal;

import static dev.ledger.streams.internal.TreeFixture.EXPIRES;
import static dev.ledger.streams.internal.TreeFixture.FLUSH;
import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class UsesTest {

  private final TreeFixture f = new TreeFixture();

  @Test
  void budgetsCountAgainstEveryAncestor() {
    f.buildTree();
    f.h.clear();
    Instant before = EXPIRES.minusSeconds(1);
    f.tree(Events.used("t", "u1", "b", "api", "agent:b", Outcome.allowed, before));
    f.tree(Events.used("t", "u2", "a", "api", "agent:a", Outcome.allowed, before));
    f.tree(Events.used("t", "u3", "b", "api", "agent:evil", Outcome.allowed, before));
    AuditRecord third = (AuditRecord) f.sent(Outputs.AUDIT).get(2).value();
    assertThat(third.getViolations())
        .containsExactly(ViolationKind.usage_limit_exceeded, ViolationKind.holder_mismatch);
    assertThat(f.sent(Outputs.ALERTS))
        .extracting(r -> ((Alert) r.value()).getAlertId())
        .containsExactly("u3/b/usage_limit_exceeded", "u3/b/holder_mismatch");
    assertThat(f.sent(Outputs.TOKENS))
        .extracting(Record::key)
        .as("only the node that got a violation")
        .containsExactly("t/b");
    f.h.clear().punctuateAll(FLUSH);
    assertThat(f.sent(Outputs.TOKENS))
        .extracting(Record::key)
        .as("each counted node once")
        .containsExactlyInAnyOrder("t/r", "t/a", "t/b");
    assertThat(f.latest("t/r").getUses()).isEqualTo(3);
    assertThat(f.latest("t/a").getUses()).isEqualTo(3);
    assertThat(f.latest("t/b").getUses()).isEqualTo(2);
    assertThat(f.latest("t/b").getViolations())
        .contains(ViolationKind.usage_limit_exceeded, ViolationKind.holder_mismatch);
    f.h.clear().punctuateAll(FLUSH + 500);
    assertThat(f.sent(Outputs.TOKENS)).as("nothing pending, nothing written").isEmpty();
  }

  @Test
  void theUseThatHappenedPastTheBudgetIsTheExcessOneWhateverArrivesLast() {
    f.buildTree(); // r has max_uses 2; a and b count against it
    f.use("u30", "b", 30);
    f.use("u20", "a", 20);
    assertThat(budgetAlerts()).isEmpty();
    f.h.clear();
    f.use("u10", "b", 10); // happened first, arrives last: u30 is now the third use by event time
    AuditRecord late = (AuditRecord) f.sent(Outputs.AUDIT).getFirst().value();
    assertThat(late.getViolations())
        .as("within the budget by event time")
        .doesNotContain(ViolationKind.usage_limit_exceeded);
    assertThat(budgetAlerts())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.getEventId())
                  .as("the use pushed out of the budget")
                  .isEqualTo("u30");
              assertThat(alert.getTokenId()).isEqualTo("b");
            });
    TokenNode b = f.latest("t/b");
    assertThat(b.getViolations()).contains(ViolationKind.usage_limit_exceeded);
    f.h.punctuateAll(FLUSH);
    assertThat(f.latest("t/a").getViolations()).doesNotContain(ViolationKind.usage_limit_exceeded);
    assertThat(f.latest("t/r").getUses()).isEqualTo(3);

    f.h.clear();
    f.use("u40", "a", 40); // in order, past the budget
    assertThat(((AuditRecord) f.sent(Outputs.AUDIT).getFirst().value()).getViolations())
        .contains(ViolationKind.usage_limit_exceeded);
    f.h.clear();
    f.use("u05", "b", 5); // pushes u20 (of a) out; u30 and u40 were out already
    assertThat(budgetAlerts()).extracting(Alert::getEventId).containsExactly("u20");
    assertThat(f.latest("t/a").getViolations()).contains(ViolationKind.usage_limit_exceeded);
    f.h.clear();
    f.use("u50", "b", 50); // last by event time and past the budget: itself, no push
    assertThat(budgetAlerts()).extracting(Alert::getEventId).containsExactly("u50");
  }

  @Test
  void thePendingCountsAreRebuiltWhenTheProcessorStartsAgain() {
    f.buildTree();
    f.use("u1", "b", 10);
    f.use("u2", "a", 20);
    // A restart before the flush: new collaborators over the same stores.
    f.processor.init(f.h.context);
    f.h.clear();
    f.use("u3", "b", 30);
    assertThat(((AuditRecord) f.sent(Outputs.AUDIT).getFirst().value()).getViolations())
        .as("the two pending uses still count against r's budget of 2")
        .contains(ViolationKind.usage_limit_exceeded);
  }

  @Test
  void aDeniedUseIsAuditedAndNeitherCountedNorKept() {
    f.buildTree();
    f.h.clear();
    f.tree(Events.used("t", "d1", "b", "api", "agent:evil", Outcome.denied, T0.plusSeconds(1)));
    assertThat(((AuditRecord) f.sent(Outputs.AUDIT).getFirst().value()).getViolations())
        .as("a denied use is the resource server doing its job")
        .isEmpty();
    assertThat(f.sent(Outputs.TOKENS)).isEmpty();
    KeyValueStore<String, String> pending = f.h.context.getStateStore(LedgerStores.PENDING_USES);
    assertThat(pending.approximateNumEntries()).isZero();
  }

  @Test
  void aUseAuditedByStageOneGetsAnAmendmentOnlyIfItHasAVerdict() {
    f.buildTree();
    f.h.clear();
    Uses uses = f.processor.uses();
    TokenNode b = f.processor.nodes().get("t/b");
    LedgerEvent clean =
        Events.used("t", "u1", "b", "api", null, Outcome.allowed, EXPIRES.minusSeconds(1));
    b = uses.judge("t/b", b, clean, true, false);
    assertThat(f.sent(Outputs.AUDIT)).isEmpty();
    LedgerEvent late =
        Events.used("t", "u2", "b", "api", null, Outcome.allowed, EXPIRES.plusSeconds(1));
    uses.judge("t/b", b, late, true, false);
    AuditRecord amendment = (AuditRecord) f.sent(Outputs.AUDIT).getFirst().value();
    assertThat(amendment.getEventId()).isEqualTo("u2");
    assertThat(amendment.getAmends().getAdded()).containsExactly(ViolationKind.use_after_expiry);
  }

  @Test
  void aRevocationReJudgesTheStoredUsesAfterItOnce() {
    f.buildTree();
    f.use("u1", "b", 10);
    f.h.punctuateAll(FLUSH); // u1 counted and moved to ledger-tree-uses
    f.use("u2", "b", 20); // still pending
    f.use("u3", "b", 5);
    f.h.clear();
    Uses uses = f.processor.uses();
    TokenNode b = f.processor.nodes().get("t/b");
    b.setRevocationCause("b"); // as the cascade sets it first
    uses.rejudgeAfter("t/b", b, T0.plusSeconds(8));
    assertThat(f.sent(Outputs.ALERTS))
        .extracting(r -> ((Alert) r.value()).getEventId())
        .as("counted and pending uses after the time, not the one before")
        .containsExactlyInAnyOrder("u1", "u2");
    assertThat(b.getViolations()).contains(ViolationKind.use_after_revocation);
    f.h.clear();
    uses.rejudgeAfter("t/b", b, T0.plusSeconds(8));
    assertThat(f.h.context.forwarded()).as("flagged already").isEmpty();
  }

  private List<Alert> budgetAlerts() {
    return f.sent(Outputs.ALERTS).stream()
        .map(r -> (Alert) r.value())
        .filter(a -> a.getKind() == ViolationKind.usage_limit_exceeded)
        .toList();
  }
}

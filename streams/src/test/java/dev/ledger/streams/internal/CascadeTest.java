package dev.ledger.streams.internal;

import static dev.ledger.streams.internal.TreeFixture.EXPIRES;
import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class CascadeTest {

  private final TreeFixture f = new TreeFixture();

  @Test
  void revocationCascadesOnceAndNoticesCarryTheCause() {
    f.buildTree();
    assertThat(f.h.context.committed()).as("definitions wait for the commit interval").isFalse();
    f.h.holdingFollowUps().clear();
    f.tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.REVOCATIONS)).extracting(Record::key).containsExactly("t/a", "t/b");
    assertThat(f.h.context.committed()).as("notices are committed at once").isTrue();
    f.h.context.resetCommit();
    f.h.releaseFollowUps();
    assertThat(f.sent(Outputs.TOKENS)).extracting(Record::key).contains("t/b");
    assertThat(f.h.context.committed())
        .as("a subtree within one batch is on ledger.tokens right after its notices")
        .isTrue();
    RevocationNotice notice = (RevocationNotice) f.sent(Outputs.REVOCATIONS).get(1).value();
    assertThat(notice.getRevocationCause()).isEqualTo("a");
    assertThat(notice.getEventId()).isEqualTo("rev-a");
    assertThat(notice.getPrincipal()).isEqualTo("user:u");
    f.h.clear();
    f.tree(Events.revoked("t", "rev-a2", "a", T0.plusSeconds(2)));
    assertThat(f.sent(Outputs.REVOCATIONS)).isEmpty();
    assertThat(f.sent(Outputs.AUDIT)).hasSize(1);
  }

  @Test
  void aChainAttachedLeafFirstIsReachedByACascadeThroughTheSubtreeIndex() {
    // Leaf first: children that arrive before their parent is attached are what the children
    // index holds (one attached below an attached parent has only its subtree entry).
    f.tree(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0));
    f.tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    f.tree(TreeFixture.root());
    KeyValueStore<String, String> subtrees = f.h.context.getStateStore(LedgerStores.SUBTREES);
    assertThat(subtrees.approximateNumEntries()).as("one entry per token").isEqualTo(3);
    f.h.clear();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b");
  }

  @Test
  void noticesGoOutBeforeTheNodesAndWhatComesInBetweenIsJudgedByTheRevocation() {
    f.buildTree();
    f.h.holdingFollowUps().clear();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b");
    RevocationNotice b = (RevocationNotice) f.sent(Outputs.REVOCATIONS).get(2).value();
    assertThat(b.getDepth()).as("from the subtree key").isEqualTo(2);
    assertThat(b.getExpiresAt()).as("from the subtree entry").isEqualTo(EXPIRES);
    assertThat(b.getRootId()).isEqualTo("r");
    assertThat(b.getRevokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(f.sent(Outputs.TOKENS))
        .as("only the revoked token itself so far")
        .extracting(Record::key)
        .containsExactly("t/r");
    assertThat(f.sent(Outputs.TREES))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isInstanceOf(TreeMessage.FollowUp.class));

    // Before the follow-up: a use after the revocation, a new child, a second revocation below.
    f.tree(Events.used("t", "u1", "b", "api", null, Outcome.allowed, T0.plusSeconds(2)));
    assertThat(((AuditRecord) f.sent(Outputs.AUDIT).getLast().value()).getViolations())
        .contains(ViolationKind.use_after_revocation);
    f.tree(Events.attenuated("t", "ev-c", "c", "b", "agent:c", T0.plusSeconds(3)));
    assertThat(f.latest("t/c").getRevokedAt()).as("born revoked").isEqualTo(T0.plusSeconds(1));
    assertThat(f.sent(Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b", "t/c");
    f.tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(4)));
    assertThat(f.sent(Outputs.REVOCATIONS)).as("r's revocation holds below a").hasSize(4);

    int alerts = f.sent(Outputs.ALERTS).size();
    f.h.releaseFollowUps();
    assertThat(f.latest("t/a").getRevocationCause()).isEqualTo("r");
    assertThat(f.latest("t/b").getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(f.latest("t/b").getRevokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(f.sent(Outputs.REVOCATIONS)).as("no notice twice").hasSize(4);
    assertThat(f.sent(Outputs.ALERTS)).as("the use was judged already").hasSize(alerts);
  }

  @Test
  void catchUpBringsANodeInLineWithTheRevocationInForceOnce() {
    f.buildTree();
    f.h.holdingFollowUps();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    TokenNode b = f.processor.nodes().get("t/b");
    assertThat(b.getRevokedAt()).as("its follow-up is still on its way").isNull();
    Cascade cascade = f.processor.cascade();
    assertThat(cascade.catchUp("t/b", b)).isTrue();
    assertThat(b.getRevokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(b.getRevocationCause()).isEqualTo("r");
    assertThat(cascade.catchUp("t/b", b)).as("in line already").isFalse();
  }

  @Test
  void aLargeSubtreeIsBroughtInLineInBatchesWithOtherRecordsInBetween() {
    int size = 2 * Cascade.FOLLOW_UP_BATCH + 500;
    f.tree(
        Events.issued(
            "t",
            "ev-r",
            "r",
            "user:u",
            "agent:r",
            List.of("api"),
            List.of("read"),
            EXPIRES,
            null,
            T0));
    for (int i = 0; i < size; i++) {
      // two levels, so that a batch ends inside someone's subtree
      String parent = i < 50 ? "r" : "c" + (i % 50);
      f.tree(Events.attenuated("t", "ev-c" + i, "c" + i, parent, "agent:c", T0));
    }
    f.h.holdingFollowUps().clear();
    f.h.context.resetCommit();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(f.sent(Outputs.REVOCATIONS)).hasSize(size + 1);
    assertThat(f.h.context.committed()).as("the notices commit at once").isTrue();
    f.h.context.resetCommit();
    f.h.releaseFollowUps();
    assertThat(f.h.context.committed())
        .as("a large subtree's batches ride the commit interval: one batch per commit")
        .isFalse();
    List<TreeMessage.FollowUp> loop =
        f.sent(Outputs.TREES).stream().map(r -> (TreeMessage.FollowUp) r.value()).toList();
    int batches = (size + Cascade.FOLLOW_UP_BATCH - 1) / Cascade.FOLLOW_UP_BATCH;
    assertThat(loop).as("the follow-up, then one resumption per further batch").hasSize(batches);
    assertThat(loop.get(0).resumeAfter()).isNull();
    assertThat(loop.get(1).resumeAfter()).isNotNull();
    assertThat(f.sent(Outputs.TOKENS))
        .as("every token once, the revoked one first")
        .extracting(Record::key)
        .doesNotHaveDuplicates()
        .hasSize(size + 1);
    assertThat(f.sent(Outputs.TOKENS))
        .allSatisfy(r -> assertThat(TreeFixture.node(r).getRevocationCause()).isEqualTo("r"));
  }

  @Test
  void anEarlierRevocationBelowKeepsItsSubtreeAndALaterOneAboveReachesTheRest() {
    f.buildTree();
    f.tree(Events.attenuated("t", "ev-c", "c", "r", "agent:c", T0));
    f.tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(1)));
    f.h.clear();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(5)));
    assertThat(f.sent(Outputs.REVOCATIONS)).extracting(Record::key).containsExactly("t/r", "t/c");
    assertThat(f.sent(Outputs.TOKENS))
        .as("a and b keep a's revocation, follow-up included")
        .extracting(Record::key)
        .containsExactlyInAnyOrder("t/r", "t/c");
    f.h.clear();
    // earlier than a's: now r's holds everywhere
    f.tree(Events.revoked("t", "rev-r0", "r", T0.plusMillis(500)));
    assertThat(f.sent(Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b", "t/c");
    assertThat(f.sent(Outputs.REVOCATIONS))
        .extracting(r -> ((RevocationNotice) r.value()).getRevocationCause())
        .containsOnly("r");
    assertThat(f.latest("t/b").getRevokedAt()).isEqualTo(T0.plusMillis(500));
  }
}

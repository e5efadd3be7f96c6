package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class TreeProcessorTest {

  private static final String P = TreeProcessor.NAME;
  private static final Instant EXPIRES = Instant.ofEpochMilli(2_000_000L);
  private final Harness h =
      new Harness(
          new TreeProcessor(32, java.time.Duration.ofMillis(500)), LedgerStores.treeStores(true));

  private void tree(LedgerEvent e) {
    h.process("t/r", TreeMessage.of(e, false));
  }

  private void buildTree() {
    tree(
        Events.issued(
            "t",
            "ev-r",
            "r",
            "user:u",
            "agent:r",
            List.of("api"),
            List.of("read"),
            EXPIRES,
            2L,
            T0));
    tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    tree(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0));
  }

  @Test
  void aChildArrivingBeforeItsParentIsAttachedWithItsSubtree() {
    tree(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0));
    tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    assertThat(h.sent(P, Outputs.TOKENS)).isEmpty();
    tree(
        Events.issued(
            "t",
            "ev-r",
            "r",
            "user:u",
            "agent:r",
            List.of("api"),
            List.of("read"),
            EXPIRES,
            2L,
            T0));
    assertThat(h.sent(P, Outputs.TOKENS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b");
    assertThat(node(h.sent(P, Outputs.TOKENS).get(2)).getDepth()).isEqualTo(2);
  }

  @Test
  void revocationCascadesOnceAndNoticesCarryTheCause() {
    buildTree();
    assertThat(h.context.committed()).as("definitions wait for the commit interval").isFalse();
    h.clear();
    tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(1)));
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/a", "t/b");
    assertThat(h.context.committed()).as("notices are committed at once").isTrue();
    RevocationNotice notice = (RevocationNotice) h.sent(P, Outputs.REVOCATIONS).get(1).value();
    assertThat(notice.getRevocationCause()).isEqualTo("a");
    assertThat(notice.getEventId()).isEqualTo("rev-a");
    assertThat(notice.getPrincipal()).isEqualTo("user:u");
    h.clear();
    tree(Events.revoked("t", "rev-a2", "a", T0.plusSeconds(2)));
    assertThat(h.sent(P, Outputs.REVOCATIONS)).isEmpty();
    assertThat(h.sent(P, Outputs.AUDIT)).hasSize(1);
  }

  @Test
  void budgetsCountAgainstEveryAncestor() {
    buildTree();
    h.clear();
    Instant before = EXPIRES.minusSeconds(1);
    tree(Events.used("t", "u1", "b", "api", "agent:b", Outcome.allowed, before));
    tree(Events.used("t", "u2", "a", "api", "agent:a", Outcome.allowed, before));
    tree(Events.used("t", "u3", "b", "api", "agent:evil", Outcome.allowed, before));
    AuditRecord third = (AuditRecord) h.sent(P, Outputs.AUDIT).get(2).value();
    assertThat(third.getViolations())
        .containsExactly(ViolationKind.usage_limit_exceeded, ViolationKind.holder_mismatch);
    assertThat(h.sent(P, Outputs.ALERTS))
        .extracting(r -> ((Alert) r.value()).getAlertId())
        .containsExactly("u3/b/usage_limit_exceeded", "u3/b/holder_mismatch");
    assertThat(h.sent(P, Outputs.TOKENS))
        .extracting(Record::key)
        .as("only the node that got a violation")
        .containsExactly("t/b");
    h.clear().punctuateAll(FLUSH);
    assertThat(h.sent(P, Outputs.TOKENS))
        .extracting(Record::key)
        .as("each counted node once")
        .containsExactlyInAnyOrder("t/r", "t/a", "t/b");
    assertThat(latest("t/r").getUses()).isEqualTo(3);
    assertThat(latest("t/a").getUses()).isEqualTo(3);
    assertThat(latest("t/b").getUses()).isEqualTo(2);
    assertThat(latest("t/b").getViolations())
        .contains(ViolationKind.usage_limit_exceeded, ViolationKind.holder_mismatch);
    h.clear().punctuateAll(FLUSH + 500);
    assertThat(h.sent(P, Outputs.TOKENS)).as("nothing pending, nothing written").isEmpty();
  }

  @Test
  void expiredRevokedTokensGetTombstonesAndExpiredOnesAreReEmitted() {
    buildTree();
    tree(Events.revoked("t", "rev-b", "b", T0.plusSeconds(1)));
    h.clear().punctuate(EXPIRES.toEpochMilli() + 1);
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/b");
              assertThat(r.value()).isNull();
            });
    assertThat(h.sent(P, Outputs.TOKENS))
        .extracting(r -> node(r).getStatus())
        .containsOnly(TokenStatus.expired)
        .hasSize(2);
    h.clear().punctuate(EXPIRES.toEpochMilli() + 10_000);
    assertThat(h.sent(P, Outputs.TOKENS)).as("only tokens that just expired").isEmpty();
  }

  @Test
  void aChainAttachedLeafFirstIsReachedByACascadeThroughTheSubtreeIndex() {
    // Leaf first: children that arrive before their parent is attached are what the children
    // index holds (one attached below an attached parent has only its subtree entry).
    tree(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0));
    tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    tree(
        Events.issued(
            "t",
            "ev-r",
            "r",
            "user:u",
            "agent:r",
            List.of("api"),
            List.of("read"),
            EXPIRES,
            2L,
            T0));
    KeyValueStore<String, String> subtrees = h.context.getStateStore(LedgerStores.SUBTREES);
    assertThat(subtrees.approximateNumEntries()).as("one entry per token").isEqualTo(3);
    h.clear();
    tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b");
  }

  @Test
  void noticesGoOutBeforeTheNodesAndWhatComesInBetweenIsJudgedByTheRevocation() {
    buildTree();
    h.holdingFollowUps().clear();
    tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b");
    RevocationNotice b = (RevocationNotice) h.sent(P, Outputs.REVOCATIONS).get(2).value();
    assertThat(b.getDepth()).as("from the subtree key").isEqualTo(2);
    assertThat(b.getExpiresAt()).as("from the subtree entry").isEqualTo(EXPIRES);
    assertThat(b.getRootId()).isEqualTo("r");
    assertThat(b.getRevokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(h.sent(P, Outputs.TOKENS))
        .as("only the revoked token itself so far")
        .extracting(Record::key)
        .containsExactly("t/r");
    assertThat(h.sent(P, Outputs.TREES))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isInstanceOf(TreeMessage.FollowUp.class));

    // Before the follow-up: a use after the revocation, a new child, a second revocation below.
    tree(Events.used("t", "u1", "b", "api", null, Outcome.allowed, T0.plusSeconds(2)));
    assertThat(((AuditRecord) h.sent(P, Outputs.AUDIT).getLast().value()).getViolations())
        .contains(ViolationKind.use_after_revocation);
    tree(Events.attenuated("t", "ev-c", "c", "b", "agent:c", T0.plusSeconds(3)));
    assertThat(latest("t/c").getRevokedAt()).as("born revoked").isEqualTo(T0.plusSeconds(1));
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b", "t/c");
    tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(4)));
    assertThat(h.sent(P, Outputs.REVOCATIONS)).as("r's revocation holds below a").hasSize(4);

    int alerts = h.sent(P, Outputs.ALERTS).size();
    h.releaseFollowUps();
    assertThat(latest("t/a").getRevocationCause()).isEqualTo("r");
    assertThat(latest("t/b").getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(latest("t/b").getRevokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(h.sent(P, Outputs.REVOCATIONS)).as("no notice twice").hasSize(4);
    assertThat(h.sent(P, Outputs.ALERTS)).as("the use was judged already").hasSize(alerts);
  }

  @Test
  void aLargeSubtreeIsBroughtInLineInBatchesWithOtherRecordsInBetween() {
    int size = 2 * TreeProcessor.FOLLOW_UP_BATCH + 500;
    tree(
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
      tree(Events.attenuated("t", "ev-c" + i, "c" + i, parent, "agent:c", T0));
    }
    h.holdingFollowUps().clear();
    tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    assertThat(h.sent(P, Outputs.REVOCATIONS)).hasSize(size + 1);
    h.releaseFollowUps();
    List<TreeMessage.FollowUp> loop =
        h.sent(P, Outputs.TREES).stream().map(r -> (TreeMessage.FollowUp) r.value()).toList();
    int batches = (size + TreeProcessor.FOLLOW_UP_BATCH - 1) / TreeProcessor.FOLLOW_UP_BATCH;
    assertThat(loop).as("the follow-up, then one resumption per further batch").hasSize(batches);
    assertThat(loop.get(0).resumeAfter()).isNull();
    assertThat(loop.get(1).resumeAfter()).isNotNull();
    assertThat(h.sent(P, Outputs.TOKENS))
        .as("every token once, the revoked one first")
        .extracting(Record::key)
        .doesNotHaveDuplicates()
        .hasSize(size + 1);
    assertThat(h.sent(P, Outputs.TOKENS))
        .allSatisfy(r -> assertThat(node(r).getRevocationCause()).isEqualTo("r"));
  }

  @Test
  void anEarlierRevocationBelowKeepsItsSubtreeAndALaterOneAboveReachesTheRest() {
    buildTree();
    tree(Events.attenuated("t", "ev-c", "c", "r", "agent:c", T0));
    tree(Events.revoked("t", "rev-a", "a", T0.plusSeconds(1)));
    h.clear();
    tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(5)));
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/c");
    assertThat(h.sent(P, Outputs.TOKENS))
        .as("a and b keep a's revocation, follow-up included")
        .extracting(Record::key)
        .containsExactlyInAnyOrder("t/r", "t/c");
    h.clear();
    tree(
        Events.revoked(
            "t", "rev-r0", "r", T0.plusMillis(500))); // earlier than a's: now r's holds everywhere
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(Record::key)
        .containsExactly("t/r", "t/a", "t/b", "t/c");
    assertThat(h.sent(P, Outputs.REVOCATIONS))
        .extracting(r -> ((RevocationNotice) r.value()).getRevocationCause())
        .containsOnly("r");
    assertThat(latest("t/b").getRevokedAt()).isEqualTo(T0.plusMillis(500));
  }

  /** Wall-clock time of a flush of the pending uses (the harness starts at 1,000,000). */
  private static final long FLUSH = 1_000_500L;

  private void use(String eventId, String token, int secondsAfterT0) {
    tree(
        Events.used(
            "t", eventId, token, "api", null, Outcome.allowed, T0.plusSeconds(secondsAfterT0)));
  }

  @Test
  void theUseThatHappenedPastTheBudgetIsTheExcessOneWhateverArrivesLast() {
    buildTree(); // r has max_uses 2; a and b count against it
    use("u30", "b", 30);
    use("u20", "a", 20);
    assertThat(budgetAlerts()).isEmpty();
    h.clear();
    use("u10", "b", 10); // happened first, arrives last: u30 is now the third use by event time
    AuditRecord late = (AuditRecord) h.sent(P, Outputs.AUDIT).getFirst().value();
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
    TokenNode b = latest("t/b");
    assertThat(b.getViolations()).contains(ViolationKind.usage_limit_exceeded);
    h.punctuateAll(FLUSH);
    assertThat(latest("t/a").getViolations()).doesNotContain(ViolationKind.usage_limit_exceeded);
    assertThat(latest("t/r").getUses()).isEqualTo(3);

    h.clear();
    use("u40", "a", 40); // in order, past the budget
    assertThat(((AuditRecord) h.sent(P, Outputs.AUDIT).getFirst().value()).getViolations())
        .contains(ViolationKind.usage_limit_exceeded);
    h.clear();
    use("u05", "b", 5); // pushes u20 (of a) out; u30 and u40 were out already
    assertThat(budgetAlerts()).extracting(Alert::getEventId).containsExactly("u20");
    assertThat(latest("t/a").getViolations()).contains(ViolationKind.usage_limit_exceeded);
    h.clear();
    use("u50", "b", 50); // last by event time and past the budget: itself, no push
    assertThat(budgetAlerts()).extracting(Alert::getEventId).containsExactly("u50");
  }

  private List<Alert> budgetAlerts() {
    return h.sent(P, Outputs.ALERTS).stream()
        .map(r -> (Alert) r.value())
        .filter(a -> a.getKind() == ViolationKind.usage_limit_exceeded)
        .toList();
  }

  private TokenNode latest(String key) {
    List<Record<Object, Object>> sent =
        h.sent(P, Outputs.TOKENS).stream().filter(r -> r.key().equals(key)).toList();
    return node(sent.getLast());
  }

  /** The tree processor sends TokenNodes encoded, as its sink writes them. */
  private static TokenNode node(Record<Object, Object> sent) {
    return LedgerStores.NODE_SERDE.decode((byte[]) sent.value());
  }
}

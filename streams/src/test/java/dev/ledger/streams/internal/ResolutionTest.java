package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** REQUEST, ANSWER and PARKED: how a token learns its root ({@link Resolution}). */
class ResolutionTest extends ResolverFixture {

  @Test
  void aRootIsItsOwnTreeAtOnce() {
    event(root("r"));
    assertThat(h.sent(R, Outputs.TREES))
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo("t/r"));
    assertThat(h.sent(R, Outputs.RESOLVE)).isEmpty();
  }

  @Test
  void aRevocationOfAResolvedTokenGoesOnAndAsksForACommitAtOnce() {
    event(root("r"));
    event(Events.used("t", "u1", "r", "api", null, Outcome.allowed, T0));
    assertThat(h.context.committed()).as("uses wait for the commit interval").isFalse();
    event(Events.revoked("t", "rev-r", "r", T0));
    assertThat(h.sent(R, Outputs.TREES)).hasSize(3);
    assertThat(h.context.committed()).isTrue();
  }

  @Test
  void aChildAsksItsParentIsPendingOnlyWhenParkedAndResolvesOnTheAnswer() {
    event(child("c", "p"));
    assertThat(h.sent(R, Outputs.TOKENS))
        .as("no pending node while the parent may answer at once")
        .isEmpty();
    Record<?, ?> request = h.sent(R, Outputs.RESOLVE).getFirst();
    assertThat(request.key()).isEqualTo("t/p");
    assertThat(request.value()).isEqualTo(LoopMessage.request("c"));
    h.process("t/c", LoopMessage.parked());
    assertThat(h.sent(R, Outputs.TOKENS))
        .singleElement()
        .satisfies(
            r -> assertThat(((TokenNode) r.value()).getStatus()).isEqualTo(TokenStatus.pending));
    event(Events.used("t", "u1", "c", "api", null, Outcome.allowed, T0));
    assertThat(h.sent(R, Outputs.TREES)).as("the use waits for the root").isEmpty();
    h.clear().process("t/c", LoopMessage.answer("r", 0));
    h.process("t/c", LoopMessage.parked());
    assertThat(h.sent(R, Outputs.TOKENS))
        .as("a resolved token is never shown pending again")
        .isEmpty();
    assertThat(h.sent(R, Outputs.TREES)).extracting(Record::key).containsExactly("t/r", "t/r");
    assertThat(h.sent(R, Outputs.TREES))
        .extracting(r -> ((TreeMessage) r.value()).event().getEventId())
        .containsExactly("ev-c", "u1");
  }

  @Test
  void aChildOfATokenResolvedInAnotherTaskResolvesWithoutTheLoop() {
    List<Harness> tasks = tasks(3, MAX_DEPTH);
    Harness parentTask = tasks.get(0);
    Harness childTask = tasks.get(1);
    event(parentTask, root("r"));
    event(childTask, child("c", "r"));
    assertThat(childTask.sent(R, Outputs.RESOLVE)).as("no request, no answer").isEmpty();
    assertThat(childTask.sent(R, Outputs.TREES))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/r");
              assertThat(((TreeMessage) r.value()).event().getEventId()).isEqualTo("ev-c");
            });
    KeyValueStore<String, TokenLink> links = childTask.context.getStateStore(LedgerStores.LINKS);
    assertThat(links.get("t/c").state()).isEqualTo(TokenLink.State.RESOLVED);
    assertThat(links.get("t/c").depth()).isEqualTo(1);

    // Its own child, in a third task, learns depth 2 the same way; what waited on c goes on too.
    Harness grandchildTask = tasks.get(2);
    grandchildTask.process("t/g", LoopMessage.request("x")); // x asked g before g existed
    event(grandchildTask, Events.used("t", "u1", "g", "api", "agent:g", Outcome.allowed, T0));
    grandchildTask.clear();
    event(grandchildTask, child("g", "c"));
    assertThat(grandchildTask.sent(R, Outputs.TREES))
        .extracting(r -> ((TreeMessage) r.value()).event().getEventId())
        .containsExactly("ev-g", "u1");
    assertThat(grandchildTask.sent(R, Outputs.RESOLVE))
        .extracting(Record::value)
        .as("the waiting child is answered")
        .containsExactly(LoopMessage.answer("r", 2));
  }

  @Test
  void aChildThatAskedResolvesOnceItsParentIsKnownHereWithoutWaitingForTheAnswer() {
    List<Harness> tasks = tasks(2, MAX_DEPTH);
    Harness parentTask = tasks.get(0);
    Harness childTask = tasks.get(1);
    event(childTask, child("c", "r")); // before its parent: it asks
    assertThat(childTask.sent(R, Outputs.RESOLVE))
        .extracting(Record::value)
        .containsExactly(LoopMessage.request("c"));
    event(parentTask, root("r"));
    childTask.clear();
    event(childTask, Events.used("t", "u1", "c", "api", "agent:c", Outcome.allowed, T0));
    assertThat(childTask.sent(R, Outputs.TREES))
        .as("the definition, then the use: nothing parked")
        .extracting(r -> ((TreeMessage) r.value()).event().getEventId())
        .containsExactly("ev-c", "u1");
    KeyValueStore<String, Parked> parked = childTask.context.getStateStore(LedgerStores.PARKED);
    try (var all = parked.all()) {
      assertThat(all.hasNext()).isFalse();
    }
    childTask.clear().process("t/c", LoopMessage.answer("r", 0));
    childTask.process("t/c", LoopMessage.parked());
    assertThat(childTask.sent(R, Outputs.TREES)).as("the late answer changes nothing").isEmpty();
    assertThat(childTask.sent(R, Outputs.TOKENS)).as("never shown pending").isEmpty();
  }

  @Test
  void aQuestionToATokenThatAskedIsAnsweredOnceItsParentIsKnownHere() {
    List<Harness> tasks = tasks(2, MAX_DEPTH);
    Harness parentTask = tasks.get(0);
    Harness childTask = tasks.get(1);
    event(childTask, child("c", "r"));
    event(parentTask, root("r"));
    childTask.clear().process("t/c", LoopMessage.request("g"));
    assertThat(childTask.sent(R, Outputs.RESOLVE))
        .extracting(Record::value)
        .as("answered at once, not parked")
        .containsExactly(LoopMessage.answer("r", 1));
  }

  @Test
  void aChildOfAKnownTokenPastTheMaxDepthIsRefusedAsOverTheLoop() {
    List<Harness> tasks = tasks(2, 1);
    Harness parentTask = tasks.get(0);
    Harness childTask = tasks.get(1);
    event(parentTask, root("r"));
    event(parentTask, child("c", "r")); // depth 1: within the bound
    event(childTask, child("d", "c"));
    assertThat(childTask.sent(R, Outputs.TREES)).as("depth 2 never resolves").isEmpty();
    assertThat(((TokenNode) childTask.sent(R, Outputs.TOKENS).getFirst().value()).getViolations())
        .containsExactly(ViolationKind.depth_limit);
    KeyValueStore<String, TokenLink> links = childTask.context.getStateStore(LedgerStores.LINKS);
    assertThat(links.get("t/d").state()).isEqualTo(TokenLink.State.CYCLIC);
  }

  @Test
  void aTokenNotResolvedYetIsNotKnownToOtherTasks() {
    List<Harness> tasks = tasks(2, MAX_DEPTH);
    Harness parentTask = tasks.get(0);
    Harness childTask = tasks.get(1);
    event(parentTask, child("p", "unknown")); // pending: its own parent never came
    event(childTask, child("c", "p"));
    assertThat(childTask.sent(R, Outputs.RESOLVE))
        .extracting(Record::value)
        .containsExactly(LoopMessage.request("c"));
    assertThat(childTask.sent(R, Outputs.TREES)).isEmpty();
  }

  @Test
  void anUnknownParentParksTheQuestionAndAnswersWhenItArrives() {
    h.process("t/p", LoopMessage.request("c"));
    assertThat(h.sent(R, Outputs.RESOLVE))
        .as("the child is told it waits")
        .containsExactly(new Record<>("t/c", LoopMessage.parked(), 1_000_000L));
    h.clear();
    event(root("p"));
    assertThat(h.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/c");
              assertThat(r.value()).isEqualTo(LoopMessage.answer("p", 0));
            });
  }

  @Test
  void aChildResolvedWithinTheGraceIsLeftToStageTwo() {
    event(child("c", "p"));
    h.process("t/c", LoopMessage.answer("p", 0));
    assertThat(h.sent(R, Outputs.TREES))
        .singleElement()
        .satisfies(r -> assertThat(((TreeMessage) r.value()).audited()).isFalse());
    h.clear().punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.AUDIT)).isEmpty();
  }

  @Test
  void aUseOfAnUnresolvedTokenIsParkedAndTimedOnlyIfTheTokenIsNotOnItsWay() {
    Resolution resolution = processor.resolution();
    KeyValueStore<String, Parked> parked = store(LedgerStores.PARKED);
    KeyValueStore<String, String> due = store(LedgerStores.DUE);
    resolution.route(
        "t/ghost", Events.used("t", "u1", "ghost", "api", null, Outcome.allowed, T0), null);
    assertThat(parked.approximateNumEntries()).isEqualTo(1);
    assertThat(due.approximateNumEntries()).as("never seen: judged after the grace").isEqualTo(1);
    resolution.route(
        "t/c",
        Events.used("t", "u2", "c", "api", null, Outcome.allowed, T0),
        TokenLink.pending(child("c", "p")));
    assertThat(parked.approximateNumEntries()).isEqualTo(2);
    assertThat(due.approximateNumEntries())
        .as("pending: audited when its ORPHAN comes, if ever")
        .isEqualTo(1);
    assertThat(h.sent(R, Outputs.TREES)).isEmpty();
    resolution.route(
        "t/r",
        Events.used("t", "u3", "r", "api", null, Outcome.allowed, T0),
        TokenLink.pending(root("r")).resolved("r", 0));
    assertThat(h.sent(R, Outputs.TREES)).extracting(Record::key).containsExactly("t/r");
  }

  /** {@code n} resolver tasks of one instance, sharing the roots they resolve. */
  private static List<Harness> tasks(int n, int maxDepth) {
    ResolvedRoots roots = new ResolvedRoots(16);
    return IntStream.range(0, n).mapToObj(i -> sharing(roots, maxDepth)).toList();
  }
}

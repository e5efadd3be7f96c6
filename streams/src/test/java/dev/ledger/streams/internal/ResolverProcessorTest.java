package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class ResolverProcessorTest {

  private static final String R = ResolverProcessor.NAME;
  private static final int MAX_DEPTH = 64;
  private static final long START = 1_000_000L;
  private static final long AFTER_GRACE = START + Duration.ofMinutes(5).toMillis() + 1;
  private final Harness h = harness(Duration.ZERO);

  private static Harness harness(Duration dedupeRetention) {
    return harness(dedupeRetention, MAX_DEPTH);
  }

  private static Harness harness(Duration dedupeRetention, int maxDepth) {
    return new Harness(
        new ResolverProcessor(
            Duration.ofMinutes(5), dedupeRetention, maxDepth, LedgerLimits.DEFAULTS),
        LedgerStores.resolverStores(true));
  }

  private static LedgerEvent root(String id) {
    return Events.issued(
        "t",
        "ev-" + id,
        id,
        "user:u",
        "agent:" + id,
        List.of("api"),
        List.of("read"),
        null,
        null,
        T0);
  }

  private static LedgerEvent child(String id, String parent) {
    return Events.attenuated("t", "ev-" + id, id, parent, "agent:" + id, T0);
  }

  private void event(LedgerEvent e) {
    h.process(Events.key(e), new RawEvent(RawEvent.EVENT_SERDE.encode(e), e));
  }

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
  void aPendingParentForwardsAProbeAndAProbeThatComesBackIsACycle() {
    event(child("a", "b"));
    h.clear().process("t/a", LoopMessage.request("x"));
    assertThat(h.sent(R, Outputs.RESOLVE))
        .extracting(Record::key, Record::value)
        .containsExactly(
            tuple("t/x", LoopMessage.parked()), tuple("t/b", LoopMessage.probe("x", 2)));
    h.clear().process("t/a", LoopMessage.probe("a", 2));
    assertThat(h.sent(R, Outputs.ALERTS))
        .singleElement()
        .satisfies(r -> assertThat(((Alert) r.value()).getKind()).isEqualTo(ViolationKind.cycle));
    assertThat(h.sent(R, Outputs.RESOLVE))
        .as("nothing goes round again; the waiting child is an orphan now")
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/x");
              assertThat(r.value()).isEqualTo(LoopMessage.orphan());
            });
    h.clear().process("t/a", LoopMessage.answer("r", 0));
    assertThat(h.sent(R, Outputs.TREES)).as("a refused link never resolves").isEmpty();
  }

  @Test
  void anAnswerThatMakesATokenDeeperThanTheMaxDepthRefusesItLikeACycle() {
    Harness shallow = harness(Duration.ZERO, 2);
    LedgerEvent c = child("c", "p");
    LedgerEvent use = Events.used("t", "u1", "c", "api", "agent:c", Outcome.allowed, T0);
    for (LedgerEvent e : List.of(c, use)) {
      shallow.process(Events.key(e), new RawEvent(RawEvent.EVENT_SERDE.encode(e), e));
    }
    shallow.process("t/c", LoopMessage.request("x")); // x waits on c
    shallow.clear().process("t/c", LoopMessage.answer("r", 1));
    assertThat(shallow.sent(R, Outputs.TREES)).as("depth 2 is within the bound").hasSize(2);
    assertThat(shallow.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/x");
              assertThat(r.value())
                  .as("the child learns its parent's depth")
                  .isEqualTo(LoopMessage.answer("r", 2));
            });

    LedgerEvent d = child("d", "x");
    shallow.clear().process(Events.key(d), new RawEvent(RawEvent.EVENT_SERDE.encode(d), d));
    LedgerEvent useOfD = Events.used("t", "u2", "d", "api", "agent:d", Outcome.allowed, T0);
    shallow.process(Events.key(useOfD), new RawEvent(RawEvent.EVENT_SERDE.encode(useOfD), useOfD));
    shallow.process("t/d", LoopMessage.request("e")); // e waits on d
    shallow.clear().process("t/d", LoopMessage.answer("r", 2));
    assertThat(shallow.sent(R, Outputs.TREES)).as("depth 3 never resolves").isEmpty();
    assertThat(((TokenNode) shallow.sent(R, Outputs.TOKENS).getFirst().value()).getViolations())
        .containsExactly(ViolationKind.depth_limit);
    assertThat(shallow.sent(R, Outputs.ALERTS))
        .singleElement()
        .satisfies(
            r -> assertThat(((Alert) r.value()).getKind()).isEqualTo(ViolationKind.depth_limit));
    assertThat(shallow.sent(R, Outputs.AUDIT))
        .extracting(r -> ((AuditRecord) r.value()).getEventId())
        .as("the token and the use waiting on it")
        .containsExactlyInAnyOrder("ev-d", "u2");
    assertThat(shallow.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/e");
              assertThat(r.value())
                  .as("what would hang below is an orphan")
                  .isEqualTo(LoopMessage.orphan());
            });
  }

  @Test
  void aProbeCarriesOneIdAtMostMaxDepthHopsThenRefusesItsOrigin() {
    Harness shallow = harness(Duration.ZERO, 3);
    LedgerEvent a = child("a", "b");
    shallow.process(Events.key(a), new RawEvent(RawEvent.EVENT_SERDE.encode(a), a));
    shallow.clear().process("t/a", LoopMessage.probe("x", 2));
    assertThat(shallow.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/b");
              assertThat(r.value()).isEqualTo(LoopMessage.probe("x", 3));
            });
    shallow.clear().process("t/a", LoopMessage.probe("x", 3));
    assertThat(shallow.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).as("x is at least 4 deep, root or not").isEqualTo("t/x");
              assertThat(r.value()).isEqualTo(LoopMessage.tooDeep("x", 4));
            });
    shallow.clear().process("t/a", LoopMessage.request("y")).clear(); // y waits on a
    shallow.process("t/a", LoopMessage.tooDeep("a", 4));
    assertThat(shallow.sent(R, Outputs.AUDIT))
        .as("never resolves: an orphan at once, without waiting for the grace")
        .singleElement()
        .satisfies(r -> assertThat(((AuditRecord) r.value()).getChain()).isEmpty());
    assertThat(shallow.sent(R, Outputs.ALERTS))
        .as("which token is past the bound is not known yet")
        .isEmpty();
    assertThat(shallow.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/y");
              assertThat(r.value()).isEqualTo(LoopMessage.orphan());
            });
    shallow.clear().process("t/a", LoopMessage.answer("r", 3));
    assertThat(shallow.sent(R, Outputs.TREES)).as("its chain known at last: refused").isEmpty();
    assertThat(shallow.sent(R, Outputs.ALERTS))
        .singleElement()
        .satisfies(
            r -> assertThat(((Alert) r.value()).getKind()).isEqualTo(ViolationKind.depth_limit));
    assertThat(shallow.sent(R, Outputs.AUDIT)).as("audited once").isEmpty();
  }

  @Test
  void usesOfNeverSeenTokensAreUnknownAfterTheGrace() {
    event(Events.used("t", "u1", "ghost", "api", null, Outcome.allowed, T0));
    h.punctuate(START + Duration.ofMinutes(4).toMillis());
    assertThat(h.sent(R, Outputs.AUDIT)).isEmpty();
    h.punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.AUDIT))
        .singleElement()
        .satisfies(
            r ->
                assertThat(((AuditRecord) r.value()).getViolations())
                    .containsExactly(ViolationKind.unknown_token));
  }

  @Test
  void invalidAndDuplicateEventsGoToTheDlqAndReplaysAreIgnored() {
    LedgerEvent r = root("r");
    event(r);
    event(r);
    assertThat(h.sent(R, Outputs.TREES)).hasSize(1);
    assertThat(h.sent(R, Outputs.DLQ)).isEmpty();
    event(LedgerEvent.newBuilder(r).setEventId("ev-other").build());
    h.process("t/wrong", new RawEvent(new byte[] {1}, r));
    assertThat(h.sent(R, Outputs.DLQ)).hasSize(2);
  }

  @Test
  void aChildOfATokenNeverSeenIsToldItIsAnOrphanWhenTheGraceEnds() {
    h.process("t/p", LoopMessage.request("c")).clear();
    h.punctuate(START + Duration.ofMinutes(4).toMillis());
    assertThat(h.sent(R, Outputs.RESOLVE)).as("still within the grace").isEmpty();
    h.punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/c");
              assertThat(r.value()).isEqualTo(LoopMessage.orphan());
            });
    h.clear().punctuate(AFTER_GRACE + 60_000);
    assertThat(h.sent(R, Outputs.RESOLVE)).as("told once").isEmpty();
  }

  @Test
  void aParentThatArrivesWithinTheGraceLeavesNoOrphan() {
    h.process("t/p", LoopMessage.request("c"));
    event(root("p"));
    h.clear().punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.RESOLVE)).isEmpty();
  }

  @Test
  void anOrphanAuditsItselfAndWhatWaitsOnItOnceAndPassesItOnButStillResolvesLater() {
    event(child("c", "p"));
    event(Events.used("t", "u1", "c", "api", "agent:c", Outcome.allowed, T0));
    h.process("t/c", LoopMessage.request("d")); // d waits on c
    h.clear().process("t/c", LoopMessage.orphan());
    assertThat(h.sent(R, Outputs.AUDIT))
        .extracting(r -> (AuditRecord) r.value())
        .satisfiesExactlyInAnyOrder(
            a -> {
              assertThat(a.getEventId()).isEqualTo("ev-c");
              assertThat(a.getChain()).as("no chain: the parent is unknown").isEmpty();
              assertThat(a.getParentId()).isEqualTo("p");
              assertThat(a.getViolations()).isEmpty();
            },
            a -> {
              assertThat(a.getEventId()).isEqualTo("u1");
              assertThat(a.getViolations()).as("the token exists: not unknown_token").isEmpty();
            });
    assertThat(h.sent(R, Outputs.ALERTS)).isEmpty();
    assertThat(h.sent(R, Outputs.RESOLVE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).as("passed on to the waiting child").isEqualTo("t/d");
              assertThat(r.value()).isEqualTo(LoopMessage.orphan());
            });
    h.clear().process("t/c", LoopMessage.orphan()).punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.AUDIT)).as("audited once").isEmpty();

    h.clear().process("t/c", LoopMessage.answer("p", 0));
    assertThat(h.sent(R, Outputs.TREES))
        .extracting(r -> (TreeMessage) r.value())
        .as("both go on to stage 2, marked as audited")
        .satisfiesExactly(
            m -> assertThat(m.event().getEventId()).isEqualTo("ev-c"),
            m -> assertThat(m.event().getEventId()).isEqualTo("u1"))
        .allSatisfy(m -> assertThat(m.audited()).isTrue());
  }

  @Test
  void aUseOfAKnownOrphanIsAuditedAfterItsOwnGrace() {
    event(child("c", "p"));
    h.process("t/c", LoopMessage.orphan());
    h.clear();
    event(Events.used("t", "u2", "c", "api", "agent:c", Outcome.allowed, T0));
    assertThat(h.sent(R, Outputs.AUDIT)).isEmpty();
    h.punctuate(AFTER_GRACE);
    assertThat(h.sent(R, Outputs.AUDIT))
        .extracting(r -> ((AuditRecord) r.value()).getEventId())
        .containsExactly("u2");
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
  void eventIdsAreKeptForeverByDefaultAndForgottenAfterABoundedRetention() {
    Harness bounded = harness(Duration.ofHours(1));
    LedgerEvent r = root("r");
    LedgerEvent use = Events.used("t", "u1", "r", "api", null, Outcome.allowed, T0);
    for (Harness each : List.of(h, bounded)) {
      for (LedgerEvent e : List.of(r, use)) {
        each.process(Events.key(e), new RawEvent(RawEvent.EVENT_SERDE.encode(e), e));
      }
      each.punctuate(START + Duration.ofHours(2).toMillis()).clear();
      each.process(Events.key(use), new RawEvent(RawEvent.EVENT_SERDE.encode(use), use));
    }
    assertThat(h.sent(R, Outputs.TREES)).as("remembered forever: the copy is dropped").isEmpty();
    assertThat(bounded.sent(R, Outputs.TREES))
        .as("forgotten after an hour: the late copy goes on")
        .singleElement()
        .satisfies(m -> assertThat(((TreeMessage) m.value()).event().getEventId()).isEqualTo("u1"));
  }
}

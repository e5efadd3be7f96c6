package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** PROBE and TOO_DEEP: cycles and chains past the max depth are refused ({@link Probes}). */
class ProbesTest extends ResolverFixture {

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
  void aRefusedTokenNeverResolvesAndIsShownPendingWithItsKind() {
    KeyValueStore<String, TokenLink> links = store(LedgerStores.LINKS);
    TokenLink link = TokenLink.pending(child("c", "p"));
    links.put("t/c", link);
    Probes probes = processor.probes();
    probes.refuse("t/c", link, ViolationKind.cycle);
    assertThat(links.get("t/c").state()).isEqualTo(TokenLink.State.CYCLIC);
    assertThat(((TokenNode) h.sent(R, Outputs.TOKENS).getFirst().value()).getViolations())
        .containsExactly(ViolationKind.cycle);
    assertThat(h.sent(R, Outputs.AUDIT)).hasSize(1);
    assertThat(h.sent(R, Outputs.ALERTS)).hasSize(1);
    assertThat(probes.tooDeep(MAX_DEPTH)).isFalse();
    assertThat(probes.tooDeep(MAX_DEPTH + 1)).isTrue();
  }
}

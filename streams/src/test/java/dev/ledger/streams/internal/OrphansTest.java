package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** ORPHAN and the sweep after the grace ({@link Orphans}). */
class OrphansTest extends ResolverFixture {

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
  void anOrphanIsAuditedOnceWhateverTellsItSo() {
    KeyValueStore<String, TokenLink> links = store(LedgerStores.LINKS);
    links.put("t/c", TokenLink.pending(child("c", "p")));
    Orphans orphans = processor.orphans();
    orphans.orphaned("t/c", links.get("t/c"));
    assertThat(links.get("t/c").audited()).isTrue();
    assertThat(h.sent(R, Outputs.AUDIT)).hasSize(1);
    orphans.orphaned("t/c", links.get("t/c"));
    assertThat(h.sent(R, Outputs.AUDIT)).as("once").hasSize(1);
    assertThat(Orphans.notResolving(null)).as("never seen").isTrue();
    assertThat(Orphans.notResolving(links.get("t/c"))).as("an audited orphan").isTrue();
    assertThat(Orphans.notResolving(TokenLink.pending(child("d", "c")))).isFalse();
  }
}

package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Repeated uses and revocations are dropped, for as long as the retention says ({@link Dedupe}).
 */
class DedupeTest extends ResolverFixture {

  @Test
  void eventIdsAreKeptForeverByDefaultAndForgottenAfterABoundedRetention() {
    Harness bounded = harness(Duration.ofHours(1));
    LedgerEvent r = root("r");
    LedgerEvent use = Events.used("t", "u1", "r", "api", null, Outcome.denied, T0);
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

  @Test
  void anAllowedUseOfAResolvedTokenIsLeftToTheTreeProcessor() {
    LedgerEvent allowed = Events.used("t", "u1", "r", "api", null, Outcome.allowed, T0);
    LedgerEvent ofPending = Events.used("t", "u2", "c", "api", null, Outcome.allowed, T0);
    event(root("r"));
    event(child("c", "p")); // its parent never came: pending
    event(allowed);
    event(ofPending);
    KeyValueStore<String, Long> seen = store(LedgerStores.DEDUPE);
    assertThat(seen.get(EventIdentity.of("t/r", "u1").key()))
        .as("no entry: the tree processor keeps the use and drops a repeat of it")
        .isNull();
    assertThat(seen.get(EventIdentity.of("t/c", "u2").key()))
        .as("a use that waits here is remembered here")
        .isNotNull();
    h.clear();
    event(allowed);
    assertThat(h.sent(R, Outputs.TREES)).as("the repeat goes on, to be dropped there").hasSize(1);
  }

  @Test
  void anIdentityIsSeenOnceRememberedAndForgottenOnlyPastItsRetention() {
    Dedupe forever = processor.dedupe();
    assertThat(forever.seen("t/a\u0000e1")).isFalse();
    forever.remember("t/a\u0000e1");
    forever.forget(Long.MAX_VALUE / 1000);
    assertThat(forever.seen("t/a\u0000e1")).as("no retention: kept").isTrue();

    ResolverProcessor hourly = processor(Duration.ofHours(1), MAX_DEPTH);
    new Harness(hourly, LedgerStores.resolverStores(true));
    Dedupe bounded = hourly.dedupe();
    bounded.remember("t/a\u0000e1");
    long end = START + Duration.ofHours(1).toMillis();
    bounded.forget(end);
    assertThat(bounded.seen("t/a\u0000e1")).as("not past its retention yet").isTrue();
    bounded.forget(end + 1);
    assertThat(bounded.seen("t/a\u0000e1")).isFalse();
  }
}

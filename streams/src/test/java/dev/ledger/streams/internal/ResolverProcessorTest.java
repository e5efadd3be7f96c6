package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import org.junit.jupiter.api.Test;

/** The processor itself: validation, duplicate definitions, dispatch. */
class ResolverProcessorTest extends ResolverFixture {

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
  void aRecordWithoutValueGoesToTheDlqAndEachLoopMessageToItsSide() {
    h.process("t/a", null);
    assertThat(h.sent(R, Outputs.DLQ)).hasSize(1);
    event(child("c", "p"));
    h.clear().process("t/c", LoopMessage.parked());
    assertThat(h.sent(R, Outputs.TOKENS)).as("PARKED: shown pending").hasSize(1);
    h.clear().process("t/c", LoopMessage.orphan());
    assertThat(h.sent(R, Outputs.AUDIT)).as("ORPHAN: audited without a chain").hasSize(1);
    h.clear().process("t/c", LoopMessage.answer("r", 0));
    assertThat(h.sent(R, Outputs.TREES)).as("ANSWER: on to stage 2").hasSize(1);
    h.clear().process("t/c", LoopMessage.probe("x", 1));
    assertThat(h.context.forwarded()).as("a resolved token forwards no probe").isEmpty();
  }
}

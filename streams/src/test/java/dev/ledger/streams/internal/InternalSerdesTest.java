package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.testing.Events;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

  private static final LedgerEvent EVENT = Events.attenuated("t", "e1", "c", "p", "agent:c", T0);

  @Test
  void internalValuesRoundTrip() {
    for (LoopMessage m : List.of(LoopMessage.request("c"), LoopMessage.probe("a", 2), LoopMessage.answer("r", 3), LoopMessage.orphan(),
        LoopMessage.tooDeep("a", 65))) {
      assertThat(LoopMessage.SERDE.decode(LoopMessage.SERDE.encode(m))).isEqualTo(m);
    }
    for (TreeMessage tree : List.of(new TreeMessage(EVENT, true), new TreeMessage(EVENT, false), TreeMessage.followUp(EVENT),
        TreeMessage.followUp(EVENT).resumedAfter("t/r\u0000a"))) {
      assertThat(TreeMessage.SERDE.decode(TreeMessage.SERDE.encode(tree))).isEqualTo(tree);
    }
    for (SubtreeEntry entry : List.of(new SubtreeEntry(null, false), new SubtreeEntry(T0, false), new SubtreeEntry(T0, true).withOwnRevocation())) {
      assertThat(SubtreeEntry.parse(entry.encode())).isEqualTo(entry);
    }
    assertThat(SubtreeEntry.parse("")).as("written before entries had values").isNull();
    for (TokenLink link : List.of(TokenLink.pending(EVENT).resolved("r", 7), TokenLink.pending(EVENT).markAudited(),
        TokenLink.pending(EVENT).markAudited().cyclic())) {
      assertThat(TokenLink.SERDE.decode(TokenLink.SERDE.encode(link))).isEqualTo(link);
    }
    Parked parked = new Parked(EVENT, 42L, false);
    assertThat(Parked.SERDE.decode(Parked.SERDE.encode(parked))).isEqualTo(parked);
    assertThat(Parked.SERDE.encode(null)).isNull();
  }

  @Test
  void unknownVersionsAreRefused() {
    assertThatThrownBy(() -> LoopMessage.SERDE.decode(new byte[] {9, 0})).isInstanceOf(SerializationException.class);
  }
}

package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

  private static final LedgerEvent EVENT = Events.attenuated("t", "e1", "c", "p", "agent:c", T0);

  @Test
  void internalValuesRoundTrip() {
    for (LoopMessage m :
        List.of(
            LoopMessage.request("c"),
            LoopMessage.probe("a", 2),
            LoopMessage.answer("r", 3),
            LoopMessage.orphan(),
            LoopMessage.parked(),
            LoopMessage.tooDeep("a", 65))) {
      assertThat(LoopMessage.SERDE.decode(LoopMessage.SERDE.encode(m))).isEqualTo(m);
    }
    for (TreeMessage tree :
        List.of(
            TreeMessage.of(EVENT, true),
            TreeMessage.of(EVENT, false),
            TreeMessage.of(Events.used("t", "u1", "c", "api", null, Outcome.allowed, T0), false),
            TreeMessage.of(Events.revoked("t", "rv1", "c", T0), true),
            TreeMessage.followUp(EVENT),
            TreeMessage.followUp(EVENT).resumedAfter("t/r\u0000a"))) {
      assertThat(TreeMessage.SERDE.decode(TreeMessage.SERDE.encode(tree))).isEqualTo(tree);
    }
    for (SubtreeEntry entry :
        List.of(
            new SubtreeEntry(null, false),
            new SubtreeEntry(T0, false),
            new SubtreeEntry(T0, true).withOwnRevocation())) {
      assertThat(SubtreeEntry.parse(entry.encode())).isEqualTo(entry);
    }
    for (TokenLink link :
        List.of(
            TokenLink.pending(EVENT).resolved("r", 7),
            TokenLink.pending(EVENT).markAudited(),
            TokenLink.pending(EVENT).markAudited().cyclic())) {
      assertThat(TokenLink.SERDE.decode(TokenLink.SERDE.encode(link))).isEqualTo(link);
    }
    Parked parked = new Parked(EVENT, 42L, false);
    assertThat(Parked.SERDE.decode(Parked.SERDE.encode(parked))).isEqualTo(parked);
    assertThat(Parked.SERDE.encode(null)).isNull();
  }

  @Test
  void theSubmitterTravelsWithTheEventThroughEveryInternalValue() throws Exception {
    LedgerEvent submitted = SubmittedEvent.of(EVENT, "k-1f2e");
    TreeMessage tree =
        TreeMessage.SERDE.decode(TreeMessage.SERDE.encode(TreeMessage.of(submitted, false)));
    assertThat(SubmittedEvent.submitterOf(tree.event())).isEqualTo("k-1f2e");
    assertThat(tree.event().getEventId()).isEqualTo("e1");
    assertThat(
            SubmittedEvent.submitterOf(
                Parked.SERDE.decode(Parked.SERDE.encode(new Parked(submitted, 1L, false))).event()))
        .isEqualTo("k-1f2e");
    TokenLink link = TokenLink.SERDE.decode(TokenLink.SERDE.encode(TokenLink.pending(submitted)));
    assertThat(SubmittedEvent.submitterOf(link.definition())).isEqualTo("k-1f2e");
    assertThat(TokenLink.SERDE.decode(TokenLink.SERDE.encode(link.resolved("r", 1))).definedBy())
        .as("kept once the definition is dropped")
        .isEqualTo("k-1f2e");
    assertThat(SubmittedEvent.submitterOf(SubmittedEvent.read(roundTrip(EVENT))))
        .as("none: written directly")
        .isNull();
    assertThat(SubmittedEvent.of(EVENT, null)).isSameAs(EVENT);
    assertThat(submitted).isNotEqualTo(SubmittedEvent.of(EVENT, "someone-else"));
  }

  private static DataInputStream roundTrip(LedgerEvent event) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SubmittedEvent.write(new DataOutputStream(bytes), event);
    return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
  }

  @Test
  void storeKeysRoundTripAndSortAsTheirScansNeed() {
    assertThat(EventKey.parse(new EventKey("t/a", "e-1").encode()))
        .isEqualTo(new EventKey("t/a", "e-1"));
    assertThat(ChildKey.parse(new ChildKey("t/a", "b").encode()))
        .isEqualTo(new ChildKey("t/a", "b"));
    assertThat(ExpiryKey.parse(new ExpiryKey(42L, "t/a").encode()))
        .isEqualTo(new ExpiryKey(42L, "t/a"));
    assertThat(BudgetKey.parse(new BudgetKey("t/r", 7L, "u-1").encode()))
        .isEqualTo(new BudgetKey("t/r", 7L, "u-1"));
    assertThat(
            LedgerStores.sortsAfter(
                new BudgetKey("t/r", 10L, "a").encode(), new BudgetKey("t/r", 9L, "b").encode()))
        .as("a budget ranks by event time first")
        .isTrue();
    for (DueEntry entry :
        List.<DueEntry>of(
            new DueEntry.ParkedEvent(5L, "t/a", "e-1"),
            new DueEntry.WaitingChild(5L, "t/a", "child"))) {
      assertThat(DueEntry.parse(entry.encode())).isEqualTo(entry);
    }
    SubtreePath path = new SubtreePath("t/r" + LedgerStores.SEP + "a" + LedgerStores.SEP + "b");
    assertThat(path.tokenId()).isEqualTo("b");
    assertThat(path.depth()).isEqualTo(2);
    assertThat(new SubtreePath("t/r").tokenId()).as("a root").isEqualTo("r");
    assertThat(new SubtreePath("t/r").depth()).isZero();
  }

  @Test
  void unknownVersionsAreRefused() {
    assertThatThrownBy(() -> LoopMessage.SERDE.decode(new byte[] {9, 0}))
        .isInstanceOf(SerializationException.class);
  }
}

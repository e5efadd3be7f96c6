package dev.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.export.VerificationReport.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeafOrderTest {

  private final List<String> found = new ArrayList<>();
  private final LeafOrder order =
      new LeafOrder(10, 3, (kind, text) -> found.add(kind + " " + text));

  @Test
  void inOrderAndCompleteFindsNothing() {
    feed(10, 11, 12);
    order.finish(13, 4);
    assertThat(found).isEmpty();
  }

  @Test
  void aSwappedPairIsOutOfOrderAndNotMissing() {
    feed(10, 12, 11, 13);
    order.finish(14, 5);
    assertThat(found)
        .containsExactly("OUT_OF_ORDER lines 3-4: out of order: leaf 11 comes after leaf 12");
  }

  @Test
  void gapsAndTheRangeEndAreReportedWhenTheFileEnds() {
    feed(10, 13, 14, 12);
    order.finish(17, 6);
    assertThat(found)
        .containsExactly(
            "OUT_OF_ORDER lines 4-5: out of order: leaf 12 comes after leaf 14",
            "MISSING record missing: leaf 11 between line 2 and 3",
            "MISSING record missing: leaves 15-16 after line 6 (the header's range ends at leaf 16)");
  }

  @Test
  void aRepeatedLeafAndLeavesPastTheRangeAreFound() {
    feed(10, 11, 11);
    order.finish(11, 4);
    assertThat(found)
        .containsExactly(
            "OUT_OF_ORDER line 4: leaf 11 repeated or out of order (after leaf 11)",
            "SCOPE the records go up to leaf 11, past the header's range end 10");
  }

  @Test
  void openGapsAreBoundedSoADamagedFileCostsBoundedMemory() {
    feed(10, 12, 14, 16, 18, 20);
    order.finish(21, 7);
    assertThat(found.stream().filter(f -> f.startsWith(Kind.MISSING.name()))).hasSize(3);
  }

  /** Leaves on lines 2, 3, ... (line 1 is the header). */
  private void feed(long... leaves) {
    long line = 2;
    for (long leaf : leaves) {
      order.accept(leaf, line++);
    }
  }
}

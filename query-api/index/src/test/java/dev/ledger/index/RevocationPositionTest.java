package dev.ledger.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RevocationPositionTest {

  @Test
  void theWireFormReadsBackAndListsPartitionsAscending() throws Exception {
    RevocationPosition p = RevocationPosition.START.advance(2, 230).advance(0, 17).advance(1, 5);
    assertThat(p.toString()).isEqualTo("0:17,1:5,2:230");
    assertThat(RevocationPosition.parse("0:17,1:5,2:230")).isEqualTo(p);
    assertThat(RevocationPosition.parse(" 0:17,1:5,2:230 ")).isEqualTo(p);
    assertThat(RevocationPosition.parse(p.toString()).offsets())
        .containsExactly(Map.entry(0, 17L), Map.entry(1, 5L), Map.entry(2, 230L));
  }

  @Test
  void theStartIsWrittenZeroSoAClientCanSendItBack() throws Exception {
    assertThat(RevocationPosition.START.toString()).isEqualTo("0");
    assertThat(RevocationPosition.parse("0")).isEqualTo(RevocationPosition.START);
    assertThat(RevocationPosition.START.covers(0, 0)).isFalse();
  }

  @Test
  void advanceNeverGoesBackAndCoversWhatItPassed() {
    RevocationPosition p = RevocationPosition.START.advance(3, 10);
    assertThat(p.covers(3, 10)).isTrue();
    assertThat(p.covers(3, 9)).isTrue();
    assertThat(p.covers(3, 11)).isFalse();
    assertThat(p.covers(4, 0)).as("a partition not named: nothing from it yet").isFalse();
    assertThat(p.advance(3, 4)).isSameAs(p);
    assertThat(p.advance(3, 11).offsets()).containsExactly(Map.entry(3, 11L));
    assertThat(RevocationPosition.START.offsets()).as("immutable: START unchanged").isEmpty();
    assertThatThrownBy(() -> p.advance(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p.advance(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyProblemIsListedNamingTheHeader() {
    InvalidQueryException e =
        catchThrowableOfType(
            InvalidQueryException.class,
            () -> RevocationPosition.parse("0:1,x:2,1:-3,1:4,0:5,7,2:99999999999999999999,3:"));
    assertThat(e.problems())
        .allSatisfy(p -> assertThat(p.parameter()).isEqualTo("Last-Event-ID"))
        .extracting(InvalidQueryException.Problem::message)
        .containsExactly(
            "pair 2 'x:2': partition and offset must be non-negative integers",
            "pair 3 '1:-3': partition and offset must be non-negative integers",
            "partition 0 appears twice",
            "pair 6 '7' is not <partition>:<offset>",
            "pair 7 '2:99999999999999999999': partition and offset must be non-negative integers",
            "pair 8 '3:': partition and offset must be non-negative integers");
  }

  @Test
  void partitionsMustAscendAndFitAnInt() {
    assertThat(problems("2:1,1:1")).containsExactly("partition 1 after 2: not ascending");
    assertThat(problems("2147483648:1"))
        .containsExactly(
            "pair 1 '2147483648:1': partition and offset must be non-negative integers");
    assertThat(problems("")).containsExactly("pair 1 '' is not <partition>:<offset>");
    assertThat(problems("0:1,")).containsExactly("pair 2 '' is not <partition>:<offset>");
  }

  @Test
  void anOldSequenceNumberIsRefusedSayingSo() {
    assertThat(problems("1099511627781"))
        .singleElement()
        .asString()
        .contains("sequence number of contract v1.16 or earlier");
  }

  @Test
  void tooLongOrTooManyPartitionsIsRefused() {
    StringBuilder many = new StringBuilder();
    for (int p = 0; p <= RevocationPosition.MAX_PARTITIONS; p++) {
      many.append(p == 0 ? "" : ",").append(p).append(":1");
    }
    assertThat(many.length()).isLessThan(RevocationPosition.MAX_LENGTH);
    assertThat(problems(many.toString())).containsExactly("more than 1000 partitions (1001)");
    assertThat(problems("0:" + "1".repeat(RevocationPosition.MAX_LENGTH)))
        .singleElement()
        .asString()
        .startsWith("longer than 16384 characters");
    assertThatThrownBy(() -> RevocationPosition.parse("1:1".repeat(20_000)))
        .isInstanceOf(InvalidQueryException.class);
  }

  private static java.util.List<String> problems(String text) {
    return catchThrowableOfType(InvalidQueryException.class, () -> RevocationPosition.parse(text))
        .problems()
        .stream()
        .map(InvalidQueryException.Problem::message)
        .toList();
  }
}

package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LedgerLimitsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    LedgerLimits d = LedgerLimits.DEFAULTS;
    assertThat(d.maxEventIdLength()).isEqualTo(128);
    assertThat(d.maxTokenIdLength()).isEqualTo(256);
    assertThat(d.maxTextLength()).isEqualTo(1024);
    assertThat(d.maxListItems()).isEqualTo(256);
    assertThat(d.maxAttributes()).isEqualTo(64);
    assertThat(d.maxBatchEvents()).isEqualTo(10_000);
    assertThat(d.maxProblems()).isEqualTo(100);
    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void reportsEveryValueThatIsNotPositive() {
    assertThatThrownBy(() -> LedgerLimits.builder().maxTextLength(0).maxProblems(-1).build())
        .hasMessageContaining("maxTextLength must be positive, was 0")
        .hasMessageContaining("maxProblems must be positive, was -1");
  }

  @Test
  void namesTheLimitAndTheActualSize() {
    assertThat(LedgerLimits.whyTooLong("abcd", 4)).isEmpty();
    assertThat(LedgerLimits.whyTooLong("abcde", 4)).contains("must be at most 4 characters, not 5");
    assertThat(LedgerLimits.whyTooMany(65, 64, "entries"))
        .contains("must have at most 64 entries, not 65");
    assertThat(LedgerLimits.whyTooMany(64, 64, "entries")).isEmpty();
  }
}

package dev.ledger.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyTextTest {

  @Test
  void writesTabSeparatedRowsWithNullsAndEscapes() {
    CopyText t = new CopyText();
    t.text("a\tb")
        .text(null)
        .number(42)
        .time(Instant.parse("2026-01-01T00:00:00Z"))
        .text("back\\slash\nline")
        .endRow();
    assertThat(t.toString())
        .isEqualTo("a\\tb\t\\N\t42\t2026-01-01T00:00:00Z\tback\\\\slash\\nline\n");
  }

  @Test
  void quotesEveryArrayElement() {
    CopyText t = new CopyText();
    t.array(List.of("agent:a", "x,y", "q\"uote")).array(List.of()).endRow();
    // Array literal {"agent:a","x,y","q\"uote"}, then COPY doubles the backslash.
    assertThat(t.toString()).isEqualTo("{\"agent:a\",\"x,y\",\"q\\\\\"uote\"}\t{}\n");
  }

  @Test
  void clearStartsAFreshRow() {
    CopyText t = new CopyText();
    t.text("a").text("b");
    t.clear();
    t.text("c").endRow();
    assertThat(t.toString()).isEqualTo("c\n");
  }
}

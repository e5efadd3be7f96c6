package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  private static Section section(String id, String ledger) {
    return Section.builder(id, "Title " + id)
        .command("./ledger bench " + id)
        .size("records", 10)
        .row(new Row("w", ledger, "b", "2.00x", "t", "met"))
        .note("a note")
        .raw("raw line")
        .build();
  }

  @Test
  void createsTheFileWithAnIntroAndTheSection(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");
    new ReportWriter(file).write(section("a", "1 ms"));
    String text = Files.readString(file);
    assertThat(text)
        .startsWith("# Benchmarks")
        .contains("## How to rerun")
        .contains("### Title a")
        .contains("- command: `./ledger bench a`")
        .contains("- code: ")
        .contains("| w | 1 ms | b | 2.00x | t | met |")
        .contains("- sizes: records=10")
        .contains("raw line")
        .contains("cores");
  }

  @Test
  void replacesOnlyItsOwnSectionAndKeepsHandWrittenText(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");
    ReportWriter writer = new ReportWriter(file);
    writer.write(section("a", "1 ms"));
    writer.write(section("b", "5 ms"));
    Files.writeString(file, Files.readString(file) + "\nHand-written discussion.\n");
    writer.write(section("a", "2 ms"));
    String text = Files.readString(file);
    assertThat(text)
        .contains("| w | 2 ms |")
        .doesNotContain("| w | 1 ms |")
        .contains("| w | 5 ms |")
        .contains("Hand-written discussion.");
    assertThat(text.indexOf("### Title a")).isLessThan(text.indexOf("### Title b"));
    assertThat(text.split("### Title a", -1)).hasSize(2);
  }

  @Test
  void escapesPipesInCells() {
    assertThat(Table.markdown(java.util.List.of(new Row("a|b", null, null, null, null, null))))
        .contains("| a\\|b |  |");
  }

  @Test
  void verdictsSayByHowMuchATargetIsMissed() {
    assertThat(Row.atMost(40, 50, "ms")).isEqualTo("met");
    assertThat(Row.atMost(75, 50, "ms")).startsWith("MISSED by 25 ms").contains("1.50x");
    assertThat(Row.atLeast(0.3, 0.25)).isEqualTo("met");
    assertThat(Row.atLeast(0.1, 0.25)).isEqualTo("MISSED: 0.40x of the target");
  }
}

package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCommitTest {

  private static final String HEAD = "2afdeb2c0ffee0000000000000000000000000aa\n";

  @Test
  void aCleanTreeIsTheCommitAlone() {
    assertThat(CodeCommit.stamp(HEAD, "")).isEqualTo("2afdeb2c0ffee0000000000000000000000000aa");
  }

  @Test
  void changedTrackedFilesMakeItDirtyAndAreCounted() {
    assertThat(CodeCommit.stamp(HEAD, " M streams/src/main/java/A.java\nM  pom.xml\n"))
        .isEqualTo(
            "2afdeb2c0ffee0000000000000000000000000aa (dirty: 2 tracked files changed since that commit)");
  }

  @Test
  void markdownChangesAreNotCode() {
    assertThat(CodeCommit.stamp(HEAD, " M BENCHMARKS.md\nM  docs/scaling.md\n"))
        .isEqualTo("2afdeb2c0ffee0000000000000000000000000aa");
    assertThat(CodeCommit.stamp(HEAD, " M BENCHMARKS.md\n M ops/bench/pom.xml\n"))
        .contains("(dirty: 1 tracked file changed");
  }

  @Test
  void anUnknownTreeStateIsSaid() {
    assertThat(CodeCommit.stamp(HEAD, null)).endsWith("(tree state unknown)");
  }

  @Test
  void outsideGitItSaysUnknown(@TempDir Path dir) {
    assertThat(CodeCommit.of(dir)).startsWith("unknown");
  }

  @Test
  void thisCheckoutHasAFullCommitId() {
    assertThat(CodeCommit.of(Path.of("."))).matches("[0-9a-f]{40}( \\(dirty: .*\\))?");
  }
}

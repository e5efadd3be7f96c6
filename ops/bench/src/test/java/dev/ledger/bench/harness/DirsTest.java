package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirsTest {

  @Test
  void countsEveryRegularFileBelow(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("a"), new byte[100]);
    Files.createDirectories(dir.resolve("sub/deeper"));
    Files.write(dir.resolve("sub/deeper/b"), new byte[23]);

    assertThat(Dirs.sizeOf(dir)).isEqualTo(123);
    assertThat(Dirs.sizeOf(dir.resolve("missing"))).isZero();
  }

  @Test
  void aFileThatVanishesDuringTheWalkIsSkippedNotFatal() {
    // Lucene deletes merged segment files while the bench measures the live index: the walk
    // must go on with what is left (it used to answer 0 for the whole directory).
    Dirs.SizeVisitor visitor = new Dirs.SizeVisitor();
    visitor.bytes = 500;

    assertThat(visitor.visitFileFailed(Path.of("_0.cfs"), new NoSuchFileException("_0.cfs")))
        .isEqualTo(FileVisitResult.CONTINUE);
    assertThat(visitor.postVisitDirectory(Path.of("index"), new NoSuchFileException("index")))
        .isEqualTo(FileVisitResult.CONTINUE);
    assertThat(visitor.bytes).isEqualTo(500);
  }
}

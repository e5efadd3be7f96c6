package dev.ledger.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers: how much a data directory takes on disk, and removing a temporary one. */
public final class Dirs {

  private Dirs() {}

  /**
   * Bytes of every regular file under {@code dir}; 0 when it does not exist. A live index or state
   * directory loses files while it is walked (Lucene's merges, RocksDB's compactions): an entry
   * that vanishes or cannot be read is skipped, so the answer is the size of what could be read,
   * never 0 for a directory that merely changed.
   */
  public static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    SizeVisitor size = new SizeVisitor();
    try {
      Files.walkFileTree(dir, size);
    } catch (IOException e) {
      // not reached: the visitor skips every failed entry instead of throwing
    }
    return size.bytes;
  }

  /**
   * Sums regular files' sizes; skips entries deleted between listing and visiting, or unreadable.
   */
  static final class SizeVisitor extends SimpleFileVisitor<Path> {
    long bytes;

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (attrs.isRegularFile()) {
        bytes += attrs.size();
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path d, IOException e) {
      return FileVisitResult.CONTINUE;
    }
  }

  /**
   * Deletes {@code dir} and everything in it, best effort (a leftover temporary directory is
   * harmless).
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Best effort.
    }
  }
}

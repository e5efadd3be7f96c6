package dev.ledger.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers: how much a data directory takes on disk, and removing a temporary one. */
public final class Dirs {

  private Dirs() {}

  /** Bytes of every regular file under {@code dir}; 0 when it does not exist. */
  public static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // files deleted while we walk: the size is approximate anyway
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

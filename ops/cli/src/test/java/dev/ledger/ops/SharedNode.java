package dev.ledger.ops;

import dev.ledger.runtime.LedgerNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One ledger node per Failsafe JVM, as {@code ledger up} runs it ({@link UpIT#start}), for the ITs
 * that neither restart nor kill their node: starting a node costs more than most of those tests.
 * Each test class that uses it keeps to tenants (and key labels) of its own, so that the classes
 * cannot see each other's data. The node is closed and its data deleted when the JVM exits.
 */
public final class SharedNode {

  private static LedgerNode node;
  private static Path data;

  private SharedNode() {}

  /** The running node, started on first use. */
  public static synchronized LedgerNode node() {
    if (node == null) {
      try {
        Path dir = Files.createTempDirectory("ledger-shared-node-");
        data = dir.resolve("data");
        node = UpIT.start(data);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      node.close();
                      deleteTree(dir);
                    },
                    "shared-node-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return node;
  }

  /** The node's data directory (its keys, for {@code ledger keys --data-dir}). */
  public static Path data() {
    node();
    return data;
  }

  /** The node's admin key. */
  public static String adminKey() {
    try {
      return Files.readString(data().resolve("admin.key")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL of its HTTP API. */
  public static String base() {
    return "http://127.0.0.1:" + node().httpPort();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort at exit: the directory is under the system's temporary directory.
    }
  }
}

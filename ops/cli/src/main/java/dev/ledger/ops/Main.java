package dev.ledger.ops;

import dev.ledger.ops.cli.LedgerCommand;
import picocli.CommandLine;

/** Entry point of the {@code ledger} script. */
public final class Main {

  /** Held so the JUL logger (and its level) is not garbage-collected. */
  private static final java.util.logging.Logger LUCENE_VECTOR_LOG =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  private Main() {}

  public static void main(String[] args) {
    // Lucene reports through java.util.logging; keep its start-up notes out of the user's terminal.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    // Lucene would also suggest the incubating vector module; the ledger does no vector search.
    LUCENE_VECTOR_LOG.setLevel(java.util.logging.Level.SEVERE);
    System.exit(LedgerCommand.commandLine().execute(args));
  }

  /** Runs a command line in-process (tests), returning the exit code. */
  public static int run(String... args) {
    return LedgerCommand.commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return LedgerCommand.commandLine();
  }
}

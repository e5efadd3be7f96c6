package dev.ledger.bench.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One role of the ledger ({@code ledger streams}, {@code api} or {@code index}) in a JVM of its own
 * against an external cluster, as an operator scales it out: the launcher's JVM flags with a small
 * heap, so that several fit on two cores, and its output in {@code <dir>/<role>.log}. {@link
 * #kill()} is a {@code kill -9} of that JVM alone.
 */
public final class RoleProcess implements AutoCloseable {

  private static final long READY_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(3);

  private final Process process;
  private final Path log;

  private RoleProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code ledger <role> <args>} in {@code dir} with heap {@code heap} (like {@code 256m}).
   * Returns at once: {@link #awaitReady()} waits for its ready line.
   */
  public static RoleProcess start(String role, List<String> args, Path dir, String heap) {
    Path root = LedgerProcess.repositoryRoot();
    Path cli = root.resolve("ops/cli/target");
    if (!Files.isDirectory(cli.resolve("classes")) || !Files.isDirectory(cli.resolve("lib"))) {
      throw new IllegalStateException(
          "the ledger is not built under " + cli + ": run ./ledger build");
    }
    try {
      Files.createDirectories(dir);
      // The last -Xmx wins over the launcher's default.
      List<String> command =
          LedgerProcess.javaCommand(root, cli, List.of("-Xmx" + heap), "dev.ledger.ops.Main");
      command.add(role);
      command.addAll(args);
      Path log = dir.resolve(role + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().keySet().removeIf(k -> k.startsWith("LEDGER_"));
      return new RoleProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting ledger " + role, e);
    }
  }

  /** The {@code --set key=value} arguments of {@code settings}. */
  public static List<String> settings(Map<String, String> settings) {
    return settings.entrySet().stream()
        .map(e -> "--set=" + e.getKey() + "=" + e.getValue())
        .toList();
  }

  /** Waits until the role says it is ready; fails with its output if it exits first. */
  public RoleProcess awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
    try {
      while (System.nanoTime() < deadline) {
        String text = Files.exists(log) ? Files.readString(log) : "";
        if (text.contains(": ready in")) {
          return this;
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "ledger exited with " + process.exitValue() + ":\n" + tail(text));
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "ledger was not ready within 3 minutes:\n" + tail(Files.readString(log)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while ledger starts", e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** {@code kill -9}: the JVM ends at once, mid-transaction wherever it was. */
  public void kill() {
    LedgerProcess.killNow(process);
  }

  /** SIGTERM (the role closes cleanly), then a kill after a minute. */
  @Override
  public void close() {
    LedgerProcess.stop(process);
  }
}

package dev.ledger.bench.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small tmpfs mounted on a directory, so that what writes there fills it for real (the kafka
 * disk-full campaign mounts one on the ledger's {@code data/kafka}). Mounting needs root; where it
 * is refused, {@link #mount} throws {@link Refused} with what {@code mount} said.
 */
public final class SmallFilesystem implements AutoCloseable {

  /** Runs a command and returns its exit code and output (a seam for tests). */
  interface Runner {
    Result run(List<String> command) throws IOException, InterruptedException;
  }

  /** A command's exit code and its output (stdout and stderr). */
  record Result(int exitCode, String output) {}

  /** Mounting was not allowed here (not root, or no mount in this sandbox). */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final Runner runner;
  private boolean mounted = true;

  private SmallFilesystem(Path dir, Runner runner) {
    this.dir = dir;
    this.runner = runner;
  }

  /** Mounts a tmpfs of {@code megabytes} on {@code dir} (created if absent) with {@code mount}. */
  static SmallFilesystem mount(Path dir, int megabytes) throws Refused, IOException {
    return mount(dir, megabytes, SmallFilesystem::exec);
  }

  static SmallFilesystem mount(Path dir, int megabytes, Runner runner) throws Refused, IOException {
    Files.createDirectories(dir);
    Result r = call(runner, mountCommand(dir, megabytes));
    if (r.exitCode() != 0) {
      throw new Refused(
          "--fault kafka_disk_full mounts a "
              + megabytes
              + " MB tmpfs on "
              + dir
              + " and needs root (mount said: "
              + r.output().strip()
              + "); run it as root where mounting is allowed");
    }
    return new SmallFilesystem(dir, runner);
  }

  static List<String> mountCommand(Path dir, int megabytes) {
    return List.of(
        "mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
  }

  static List<String> growCommand(Path dir, int megabytes) {
    return List.of("mount", "-o", "remount,size=" + megabytes + "m", dir.toString());
  }

  /** Gives the filesystem {@code megabytes} in all, keeping what it holds. */
  void grow(int megabytes) throws IOException {
    Result r = call(runner, growCommand(dir, megabytes));
    if (r.exitCode() != 0) {
      throw new IOException("cannot grow the tmpfs on " + dir + ": " + r.output().strip());
    }
  }

  /** Unmounts it (what it held is gone); call once whatever used it has stopped. */
  @Override
  public void close() throws IOException {
    if (!mounted) {
      return;
    }
    mounted = false;
    Result r = call(runner, List.of("umount", dir.toString()));
    if (r.exitCode() != 0) {
      throw new IOException("cannot unmount " + dir + ": " + r.output().strip());
    }
  }

  private static Result call(Runner runner, List<String> command) throws IOException {
    try {
      return runner.run(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    }
  }

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, command.getFirst() + ": " + e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}

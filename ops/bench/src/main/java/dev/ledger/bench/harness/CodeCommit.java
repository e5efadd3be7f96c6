package dev.ledger.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code commit a result was measured at: {@code git rev-parse HEAD}, marked dirty when tracked
 * files other than Markdown have uncommitted changes. Untracked files do not count, and neither do
 * Markdown files: {@code ledger bench all} rewrites BENCHMARKS.md after each benchmark, and a
 * report is not code, so the later benchmarks of one run would otherwise all call a clean tree
 * dirty. Committing the results afterwards makes a new commit; the section names the one whose code
 * ran.
 */
public final class CodeCommit {

  private CodeCommit() {}

  /**
   * The stamp for the repository holding {@code dir}, e.g. {@code 2afdeb2c... (dirty: ...)};
   * "unknown" outside git.
   */
  public static String of(Path dir) {
    String head = git(dir, "rev-parse", "HEAD");
    if (head == null) {
      return "unknown (not a git checkout, or git is not installed)";
    }
    return stamp(head, git(dir, "status", "--porcelain", "--untracked-files=no"));
  }

  /**
   * The stamp from git's answers: {@code head} from rev-parse, {@code porcelain} from {@code git
   * status --porcelain --untracked-files=no} (null when it failed).
   */
  static String stamp(String head, String porcelain) {
    String commit = head.strip();
    if (porcelain == null) {
      return commit + " (tree state unknown)";
    }
    long changed = porcelain.lines().filter(l -> !l.isBlank() && !isMarkdown(l)).count();
    return changed == 0
        ? commit
        : commit
            + " (dirty: "
            + changed
            + " tracked file"
            + (changed == 1 ? "" : "s")
            + " changed since that commit)";
  }

  /** A porcelain line ({@code XY path}, or {@code XY old -> new} for a rename) of a .md file. */
  private static boolean isMarkdown(String porcelainLine) {
    return porcelainLine.strip().endsWith(".md");
  }

  private static String git(Path dir, String... args) {
    List<String> command =
        new java.util.ArrayList<>(List.of("git", "-C", dir.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}

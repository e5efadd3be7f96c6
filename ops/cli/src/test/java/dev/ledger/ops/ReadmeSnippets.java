package dev.ledger.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell examples of README.md marked {@code <!-- readme-test: NAME -->}, so a test can run
 * exactly what a reader would type.
 */
final class ReadmeSnippets {

  private static final Pattern SNIPPET =
      Pattern.compile(
          "<!-- readme-(?:test|cli): ([a-z0-9-]+) -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

  private ReadmeSnippets() {}

  /** The repository root, found from the module directory the tests run in. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    // The root is where the launcher is: every module has a README.md of its own.
    while (dir != null
        && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("ledger")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "README.md and ledger not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Map<String, String> all() throws IOException {
    String readme = Files.readString(repoRoot().resolve("README.md"));
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SNIPPET.matcher(readme);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /**
   * Runs a snippet with bash in {@code workDir}, pointing 127.0.0.1:8080 at the test's port. A
   * {@code ./ledger} there is a stand-in that runs this build's command line in a fresh JVM, as the
   * real launcher does once built. Returns stdout.
   */
  static String run(String snippet, Path workDir, int port)
      throws IOException, InterruptedException {
    String script = snippet.replace("127.0.0.1:8080", "127.0.0.1:" + port);
    Path launcher = workDir.resolve("ledger");
    if (!Files.exists(launcher)) {
      Files.writeString(
          launcher,
          "#!/usr/bin/env bash\nexec '"
              + Path.of(System.getProperty("java.home"), "bin", "java")
              + "' -cp '"
              + System.getProperty("java.class.path")
              + "' dev.ledger.ops.Main \"$@\"\n");
      launcher.toFile().setExecutable(true);
    }
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(workDir.toFile())
            .redirectErrorStream(false);
    builder.environment().put("LEDGER_URL", "http://127.0.0.1:" + port);
    builder.environment().remove("LEDGER_KEY");
    Process p = builder.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("snippet timed out: " + snippet);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "snippet failed ("
              + p.exitValue()
              + "): "
              + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return out;
  }
}

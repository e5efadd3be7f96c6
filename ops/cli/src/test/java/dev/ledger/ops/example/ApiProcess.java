package dev.ledger.ops.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ledger api} in a JVM of its own, run from this test's classpath against the Kafka of
 * another node, so that a test can end it as a crash does: {@link #kill()} is a {@code kill -9},
 * with no shutdown hook, no leaving of consumer groups and no last commit. In-process nodes can
 * only be closed cleanly, which hands everything over first.
 */
final class ApiProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  final String base;
  private final Process process;
  private final Path log;

  private ApiProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * Starts {@code ledger api} with {@code settings} (as {@code --set}) on a free port, data in
   * {@code dir}, output in {@code dir/api.log}; returns once its HTTP API answers.
   */
  static ApiProcess start(Path dir, Map<String, String> settings) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The flags of ops/jvm.args, which the launcher and the test JVMs run with.
                "--enable-native-access=ALL-UNNAMED",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.ledger.schemas.avro",
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ledger.ops.Main",
                "api",
                "--data-dir=" + dir,
                "--http-port=" + port));
    settings.forEach((k, v) -> command.add("--set=" + k + "=" + v));
    Path log = dir.resolve("api.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("LEDGER_"));
    ApiProcess api = new ApiProcess(pb.start(), log, port);
    try {
      api.awaitReady();
    } catch (Exception | AssertionError e) {
      api.kill();
      throw e;
    }
    return api;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("ledger api exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/.well-known/ssf-configuration"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("ledger api did not answer within " + READY_TIMEOUT + ":\n" + tail());
  }

  /** The last lines it printed, for a failure's message. */
  String tail() {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kill -9}, and waits until the JVM is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}

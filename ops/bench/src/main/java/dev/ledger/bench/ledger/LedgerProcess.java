package dev.ledger.bench.ledger;

import dev.ledger.bench.harness.Dirs;
import dev.ledger.bench.harness.ProcStat;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger as a user runs it: {@code ledger up} in a JVM of its own, with the launcher's JVM
 * flags and default heap (no -Xmx: the JVM picks a quarter of memory, as for a user), on a fresh
 * data directory and free ports, or again and again on the same data ({@link Launch}, for the fault
 * campaign) ({@value #JAVA_OPTS_VARIABLE} adds JVM options, e.g. a flight recording). The bench
 * drives it from outside (Kafka producers, HTTP), so the process's RSS and CPU are the ledger's
 * alone. Index progress is read from {@code GET /metrics}.
 */
public final class LedgerProcess implements LedgerUnderTest {

  /**
   * The launcher's own JVM flags ({@code ./ledger jvm-flags}: native access, Avro's trusted
   * packages, its default heap, exit on OutOfMemoryError), so the ledger under test runs with what
   * a user's {@code ./ledger up} gets, and no copy of them here can drift.
   */
  public static List<String> launcherFlags(Path root) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("bash", root.resolve("ledger").toString(), "jvm-flags")
            .redirectErrorStream(true);
    pb.environment()
        .remove("LEDGER_JAVA_OPTS"); // the bench JVM's options (a flight recording) are not the
    // ledger's
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .trim();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("./ledger jvm-flags failed: " + out);
    }
    return List.of(out.split("\\s+"));
  }

  /**
   * The command line of a JVM the bench starts: this JVM's {@code java}, the launcher's flags,
   * {@code options}, the classes and libraries of the module built in {@code target}, and {@code
   * mainClass}; the caller adds the arguments.
   */
  public static List<String> javaCommand(
      Path root, Path target, List<String> options, String mainClass)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launcherFlags(root));
    command.addAll(options);
    command.addAll(
        List.of("-cp", target.resolve("classes") + ":" + target.resolve("lib") + "/*", mainClass));
    return command;
  }

  /**
   * The options of {@value #JAVA_OPTS_VARIABLE}, for the JVMs under test. Not {@code
   * LEDGER_JAVA_OPTS}, which the launcher already gave the bench's own JVM: a flight recording
   * asked for there would otherwise be written by both JVMs to the same file.
   */
  public static List<String> benchOptions() {
    String javaOpts = System.getenv(JAVA_OPTS_VARIABLE);
    return javaOpts == null || javaOpts.isBlank()
        ? List.of()
        : List.of(javaOpts.trim().split("\\s+"));
  }

  /** Extra JVM options of the ledger under test, e.g. a flight recording to profile it. */
  public static final String JAVA_OPTS_VARIABLE = "LEDGER_BENCH_LEDGER_OPTS";

  private static final Pattern HTTP_LINE = Pattern.compile("^\\s*http\\s+http://([^:\\s]+):(\\d+)");
  private static final long READY_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(3);

  /**
   * A restart after {@code kill -9} recovers every log segment, state store and index commit first:
   * on a busy machine that took over 3 minutes.
   */
  private static final long RESTART_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

  /**
   * A scrape of /metrics costs the ledger CPU (thousands of Kafka client meters): at most one per
   * this.
   */
  private static final long SCRAPE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Process process;
  private final Path dir;
  private final Path dataDir;
  private final KafkaClientSettings kafkaClient;
  private final ApiCalls api;
  private final Thread hook;
  private final String command;
  private final boolean deleteOnClose;
  private long scrapedAt;
  private Map<String, Double> scraped = Map.of();

  private LedgerProcess(
      Process process,
      Path dir,
      Path dataDir,
      KafkaClientSettings kafkaClient,
      ApiCalls api,
      Thread hook,
      String command,
      boolean deleteOnClose) {
    this.process = process;
    this.deleteOnClose = deleteOnClose;
    this.command = command;
    this.dir = dir;
    this.dataDir = dataDir;
    this.kafkaClient = kafkaClient;
    this.api = api;
    this.hook = hook;
  }

  /**
   * Starts {@code ledger up} with {@code partitions} and further {@code settings} ({@code ledger
   * config} keys) on a fresh data directory and free ports, and waits until it says it is ready.
   *
   * @throws IllegalStateException when the build is missing or the ledger does not start (with its
   *     output)
   */
  public static LedgerProcess start(int partitions, Map<String, String> settings) {
    try {
      Path dir = Files.createTempDirectory("ledger-bench-process-");
      return start(new Launch(partitions, settings, dir, 0, 0), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * How to start the ledger again and again on the same data (the fault campaign): its data lives
   * in {@code dir/data} and its output in {@code dir/ledger-<n>.log}, on fixed ports so that
   * clients find it again after a restart.
   *
   * @param partitions partitions of every ledger topic
   * @param settings further {@code ledger config} keys
   * @param dir the working directory, kept when the process ends
   * @param kafkaPort the embedded broker's port (0: a free one)
   * @param httpPort the API's port (0: a free one)
   */
  public record Launch(
      int partitions, Map<String, String> settings, Path dir, int kafkaPort, int httpPort) {
    public Launch {
      settings = Map.copyOf(settings);
      // The child runs in dir: a relative dir would be resolved against itself once more.
      dir = dir.toAbsolutePath();
    }
  }

  /**
   * Starts {@code ledger up} as {@code launch} says; {@link #close()} stops it and leaves its
   * directory.
   */
  public static LedgerProcess start(Launch launch) {
    return start(launch, false);
  }

  private static LedgerProcess start(Launch launch, boolean deleteOnClose) {
    Path root = repositoryRoot();
    Path cli = root.resolve("ops/cli/target");
    if (!Files.isDirectory(cli.resolve("classes")) || !Files.isDirectory(cli.resolve("lib"))) {
      throw new IllegalStateException(
          "the ledger is not built under " + cli + ": run ./ledger build");
    }
    try {
      Path dir = launch.dir();
      Path data = dir.resolve("data");
      Path log;
      int n = 0;
      do {
        log = dir.resolve(n == 0 ? "ledger.log" : "ledger-" + n + ".log");
        n++;
      } while (Files.exists(log));
      List<String> command = javaCommand(root, cli, benchOptions(), "dev.ledger.ops.Main");
      command.addAll(
          List.of(
              "up",
              "--data-dir",
              data.toString(),
              "--http-port",
              Integer.toString(launch.httpPort()),
              "--kafka-port",
              Integer.toString(launch.kafkaPort()),
              "--partitions",
              Integer.toString(launch.partitions())));
      launch.settings().forEach((k, v) -> command.add("--set=" + k + "=" + v));
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Thread hook = new Thread(() -> stop(p), "ledger-process-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        String[] found =
            awaitReady(p, log, deleteOnClose ? READY_TIMEOUT_NANOS : RESTART_TIMEOUT_NANOS);
        String key = Files.readString(data.resolve("admin.key")).trim();
        // Its broker takes only the login the ledger wrote for its clients; an external broker
        // (kafka.bootstrap.servers)
        // is the caller's, reached as the caller says.
        String external = launch.settings().get("kafka.bootstrap.servers");
        KafkaClientSettings kafka =
            external != null
                ? KafkaClientSettings.plaintext(external)
                : KafkaClientSettings.read(data.resolve(KafkaClientSettings.FILE_NAME));
        String shown =
            String.join(" ", command)
                .replace(
                    cli.resolve("classes") + ":" + cli.resolve("lib") + "/*",
                    "<ops/cli classpath>");
        return new LedgerProcess(
            p,
            dir,
            data,
            kafka,
            new ApiCalls("http://" + found[0] + ":" + found[1], key),
            hook,
            shown,
            deleteOnClose);
      } catch (RuntimeException | IOException e) {
        stop(p);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (deleteOnClose) {
          Dirs.deleteTree(dir);
        }
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the ledger", e);
    }
  }

  /** Waits for the ready line; returns {http host, http port} read from the output. */
  private static String[] awaitReady(Process p, Path log, long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (text.contains(": ready in")) {
        Matcher http = Pattern.compile(HTTP_LINE.pattern(), Pattern.MULTILINE).matcher(text);
        if (!http.find()) {
          throw new IllegalStateException(
              "the ledger is ready but did not say where:\n" + tail(text));
        }
        return new String[] {http.group(1), http.group(2)};
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "the ledger exited with " + p.exitValue() + ":\n" + tail(text));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the ledger starts");
      }
    }
    throw new IllegalStateException(
        "the ledger was not ready within "
            + TimeUnit.NANOSECONDS.toMinutes(timeoutNanos)
            + " minutes:\n"
            + tail(Files.readString(log)));
  }

  /**
   * The checkout the bench runs from: its classes live in {@code <root>/ops/bench/target/classes}.
   */
  public static Path repositoryRoot() {
    try {
      Path classes =
          Path.of(LedgerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent().getParent().getParent().getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of(".").toAbsolutePath();
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  /** How it was started: pid and command line (the classpath abbreviated), for the raw section. */
  public String describe() {
    return "pid " + process.pid() + ": " + command;
  }

  /** The ledger JVM's process id (for /proc). */
  public long pid() {
    return process.pid();
  }

  /** Resident set size of the ledger process now, in bytes. */
  public long residentBytes() {
    return ProcStat.residentBytes(process.pid());
  }

  /** CPU nanoseconds the ledger process has used so far. */
  public long cpuNanos() {
    return ProcStat.cpuNanos(process.pid());
  }

  @Override
  public KafkaClientSettings kafkaClient() {
    return kafkaClient;
  }

  @Override
  public ApiCalls api() {
    return api;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public double indexed(String topic) {
    return metric(PrometheusText.key("ledger_index_documents_total", "topic", topic), 0);
  }

  @Override
  public double indexLag() {
    // The gauge has base unit "records", which Prometheus naming appends.
    double lag = metric("ledger_index_lag_records", Double.NaN);
    return Double.isNaN(lag) ? metric("ledger_index_lag", Double.NaN) : lag;
  }

  /**
   * Waits until {@code GET /health} answers 200 (every part up: the stream processor RUNNING, not
   * only the HTTP server, which is what the ready line says).
   *
   * @throws IllegalStateException when it is not up within {@code timeout}
   */
  public void awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() - deadline < 0) {
      try {
        ApiCalls.Answer a = api.get("/health");
        if (a.status() == 200) {
          return;
        }
        last = a.status() + " " + a.body();
      } catch (java.io.UncheckedIOException e) {
        last = e.getMessage();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the ledger to be up");
      }
    }
    throw new IllegalStateException(
        "the ledger was not up within " + timeout.toSeconds() + " s: " + last);
  }

  /**
   * The sum of every series of one metric family, scraped now rather than from the index's cached
   * scrape (for example {@code kafka_stream_thread_commit_total}, the exactly-once transactions of
   * every stream thread); {@code NaN} when the ledger does not answer or has no such family.
   */
  public double scrapeNow(String family) {
    ApiCalls.Answer a = api.get("/metrics?name%5B%5D=" + family);
    return a.ok() ? PrometheusText.parse(a.body()).getOrDefault(family, Double.NaN) : Double.NaN;
  }

  private synchronized double metric(String key, double missing) {
    long now = System.nanoTime();
    if (now - scrapedAt >= SCRAPE_EVERY_NANOS) {
      // Only the index's families: a whole scrape (a thousand Kafka client meters) took a tenth of
      // the ledger's CPU at two scrapes a second.
      ApiCalls.Answer a =
          api.get(
              "/metrics?name%5B%5D=ledger_index_documents_total&name%5B%5D=ledger_index_lag_records"
                  + "&name%5B%5D=ledger_index_lag");
      if (a.ok()) {
        scraped = PrometheusText.parse(a.body());
      }
      scrapedAt = System.nanoTime();
    }
    return scraped.getOrDefault(key, missing);
  }

  @Override
  public void close() {
    stop(process);
    forgetHook();
    if (deleteOnClose) {
      Dirs.deleteTree(dir);
    }
  }

  /**
   * {@code kill -9}: the process ends at once, mid-write wherever it was; the data directory stays.
   */
  public void kill() {
    killNow(process);
    forgetHook();
  }

  /**
   * Whether the process still runs (it exits by itself on an OutOfMemoryError, or when Kafka halts
   * it).
   */
  public boolean alive() {
    return process.isAlive();
  }

  private void forgetHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook stops it (again, harmlessly).
    }
  }

  /** {@code kill -9} of {@code p}, waiting up to 30 s for it to be gone. */
  static void killNow(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM (the ledger closes cleanly on it), then a kill if it takes more than a minute. */
  static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}

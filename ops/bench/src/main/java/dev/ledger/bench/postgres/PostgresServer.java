package dev.ledger.bench.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server from the Debian package: {@code initdb} in a temporary directory,
 * {@code pg_ctl start} on a free port of 127.0.0.1, stopped and deleted on {@link #close()} (also
 * from a shutdown hook, so a failed or interrupted run leaves no server behind). As root the
 * binaries run as the {@code postgres} OS user, since PostgreSQL refuses to run as root.
 *
 * <p>Settings are those a DBA would give a dedicated database on this machine (shared_buffers a
 * quarter of memory up to 4 GB, effective_cache_size three quarters, jit off, random_page_cost 1.1,
 * larger WAL); durability is PostgreSQL's default ({@code fsync=on}, {@code
 * synchronous_commit=on}).
 */
public final class PostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final Thread hook;
  private boolean stopped;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.hook = new Thread(this::stop, "postgres-stop");
  }

  /** The newest installed server's bin directory, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    if (!Files.isDirectory(VERSIONS)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString().replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** What to tell the user when {@link #binaries()} is empty. */
  public static String installHint() {
    return "PostgreSQL is not installed: run 'apt-get install postgresql' to measure the baseline";
  }

  /**
   * Creates and starts a server.
   *
   * @throws IllegalStateException when PostgreSQL is not installed or does not start (with its log)
   */
  public static PostgresServer start() {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(installHint()));
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("ledger-bench-pg-");
      PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
      Runtime.getRuntime().addShutdownHook(server.hook);
      try {
        server.initAndStart();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void initAndStart() throws IOException {
    if (asPostgresUser) {
      run(List.of("chown", "-R", "postgres", dir.toString()), false);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C"),
        true);
    long memory = physicalMemory();
    long sharedBuffersMb = Math.max(128, Math.min(4096, memory / 4 / (1024 * 1024)));
    String options =
        String.join(
            " ",
            "-c listen_addresses=127.0.0.1",
            "-p " + port,
            "-c unix_socket_directories=" + dir,
            "-c shared_buffers=" + sharedBuffersMb + "MB",
            "-c max_wal_size=4GB",
            "-c work_mem=64MB",
            "-c maintenance_work_mem=512MB",
            "-c max_connections=50",
            // What a DBA sets for a dedicated server on SSD: no JIT for short OLTP queries (it
            // costs more
            // than it saves below a few hundred ms), the planner told how much the OS caches, and
            // random
            // reads priced near sequential ones.
            "-c jit=off",
            "-c effective_cache_size=" + effectiveCacheMb(memory) + "MB",
            "-c random_page_cost=1.1");
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start"),
        true);
    LOG.info("postgres started on 127.0.0.1:{} in {}", port, dir);
  }

  /** Three quarters of memory, as the PostgreSQL documentation suggests for a dedicated server. */
  static long effectiveCacheMb(long memoryBytes) {
    return Math.max(128, memoryBytes / 4 * 3 / (1024 * 1024));
  }

  private static long physicalMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 4L << 30;
  }

  /** The JDBC URL of the {@code postgres} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?user=postgres&reWriteBatchedInserts=true";
  }

  /** A new connection; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** The server's major version directory name, e.g. {@code 15}. */
  public String version() {
    return bin.getParent().getFileName().toString();
  }

  /** Bytes of the database's tables and indexes (without WAL), as PostgreSQL counts them. */
  public static long databaseBytes(Connection c) throws SQLException {
    try (var s = c.createStatement();
        var rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public String settingsSummary() {
    return "PostgreSQL "
        + version()
        + " (Debian package), 127.0.0.1:"
        + port
        + ", shared_buffers a quarter of memory up to 4 GB, effective_cache_size "
        + effectiveCacheMb(physicalMemory())
        + " MB (3/4 of memory), jit=off, random_page_cost=1.1, work_mem=64MB, max_wal_size=4GB, statistics target 1000"
        + " on the actor columns, ANALYZE after loading, fsync and synchronous_commit on (defaults)";
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        run(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-m",
                "fast",
                "-w",
                "stop"),
            true);
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("stopping postgres in {} failed: {}", dir, e.toString());
    }
    dev.ledger.bench.harness.Dirs.deleteTree(dir);
  }

  /** Stops the server and deletes its files. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs (and does nothing, stop() ran).
    }
  }

  private void run(List<String> command, boolean asServerUser) throws IOException {
    List<String> full = new ArrayList<>();
    if (asServerUser && asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    File log = dir.resolve("command.log").toFile();
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", full));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted: " + String.join(" ", full));
    }
    if (p.exitValue() != 0) {
      String output = Files.exists(log.toPath()) ? Files.readString(log.toPath()) : "";
      Path serverLog = dir.resolve("server.log");
      if (Files.exists(serverLog)) {
        output += "\n" + Files.readString(serverLog);
      }
      throw new IllegalStateException(
          "failed (exit " + p.exitValue() + "): " + String.join(" ", full) + "\n" + tail(output));
    }
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

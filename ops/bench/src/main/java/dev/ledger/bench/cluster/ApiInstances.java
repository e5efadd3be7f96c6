package dev.ledger.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.bench.ledger.RoleProcess;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.schemas.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Index+API instances of one deployment, each a {@code ledger api} (its own index, indexer and
 * notary) in a JVM of its own on a port of its own, as README "Running on a cluster" runs them: the
 * first one's credentials ({@code keys.json}, {@code admin.key}) are copied to the others before
 * they start, so one admin key works on all of them, as behind a load balancer.
 */
final class ApiInstances implements AutoCloseable {
  /** The instance (0-based) that runs the deployment's one notary; the others run none. */
  static final int NOTARY = 0;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long a call waits for its answer: longer than the ingest's own deadline (60 s), so that a
   * write stalled by a broker outage is answered by the ledger (503), not cut off by the client.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  /**
   * The ingest producer's timeouts on every instance ({@code kafka.client.*}): with two brokers of
   * three down a write cannot reach {@code min.insync.replicas} and fails once {@code
   * delivery.timeout.ms} has passed; the defaults (30 s, and as long again to abort) would make
   * each 503 take a minute.
   */
  static final Map<String, String> PRODUCER_TIMEOUTS =
      Map.of(
          "kafka.client.request.timeout.ms", "5000",
          "kafka.client.delivery.timeout.ms", "10000",
          "kafka.client.max.block.ms", "10000");

  private final List<RoleProcess> processes;
  private final List<ApiCalls> calls;
  private final List<Path> dataDirs;

  private ApiInstances(List<RoleProcess> processes, List<ApiCalls> calls, List<Path> dataDirs) {
    this.processes = processes;
    this.calls = calls;
    this.dataDirs = dataDirs;
  }

  /**
   * Starts {@code count} instances against {@code bootstrap}, instance {@code n} in {@code
   * dir/api-n}; returns at once ({@link #awaitReady()} waits).
   */
  static ApiInstances start(Path dir, String bootstrap, int partitions, int count) {
    List<RoleProcess> processes = new ArrayList<>();
    List<ApiCalls> calls = new ArrayList<>();
    List<Path> dataDirs = new ArrayList<>();
    try {
      String key = shareCredentials(dir, count, dataDirs);
      for (int n = 1; n <= count; n++) {
        int port = freePort();
        Map<String, String> settings = new LinkedHashMap<>(PRODUCER_TIMEOUTS);
        if (n > 1) {
          // One notary per deployment (README, "Running against a real Kafka cluster").
          settings.put("notary.enabled", "false");
        }
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--bootstrap-servers",
                    bootstrap,
                    "--partitions",
                    Integer.toString(partitions),
                    "--data-dir",
                    dataDirs.get(n - 1).toString(),
                    "--http-port",
                    Integer.toString(port)));
        args.addAll(RoleProcess.settings(settings));
        processes.add(RoleProcess.start("api", args, dir.resolve("api-" + n), "320m"));
        calls.add(new ApiCalls("http://127.0.0.1:" + port, key, CALL_TIMEOUT));
      }
      return new ApiInstances(processes, calls, dataDirs);
    } catch (IOException e) {
      processes.forEach(RoleProcess::close);
      throw new UncheckedIOException(e);
    }
  }

  /** One admin key in the first data directory, its keys file and key copied to the others. */
  private static String shareCredentials(Path dir, int count, List<Path> dataDirs)
      throws IOException {
    for (int n = 1; n <= count; n++) {
      dataDirs.add(dir.resolve("api-" + n).resolve("data").toAbsolutePath());
    }
    Path first = dataDirs.getFirst();
    PrivateFiles.createDirectories(first);
    String key =
        ApiKeyStore.open(first.resolve("keys.json"))
            .create(Role.admin, "*", "admin (cluster run)")
            .secret();
    // With admin.key present, an instance's first start makes no admin key of its own.
    PrivateFiles.writeNew(first.resolve("admin.key"), key + System.lineSeparator());
    for (Path other : dataDirs.subList(1, count)) {
      PrivateFiles.createDirectories(other);
      for (String file : List.of("keys.json", "admin.key")) {
        Files.copy(first.resolve(file), other.resolve(file));
      }
    }
    return key;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until every instance says it is ready. */
  void awaitReady() {
    processes.forEach(RoleProcess::awaitReady);
  }

  /** How many instances there are. */
  int size() {
    return calls.size();
  }

  /** The calls of instance {@code i} (0-based). */
  ApiCalls api(int i) {
    return calls.get(i);
  }

  /** Where the notary's instance (the first, {@link #NOTARY}) keeps the notary's public key. */
  Path notaryPublicKey() {
    return dataDirs.get(NOTARY).resolve(NotaryKey.PUBLIC_PEM_FILE);
  }

  /** Whether every instance still runs. */
  boolean allAlive() {
    return processes.stream().allMatch(RoleProcess::alive);
  }

  /**
   * The index lag instance {@code i}'s {@code GET /health} shows (records on the output topics it
   * has not indexed yet), or -1 when its health names none.
   */
  long lag(int i) {
    ApiCalls.Answer a = calls.get(i).get("/health");
    try {
      for (JsonNode check : JSON.readTree(a.body()).path("checks")) {
        if (check.has("lag")) {
          return check.get("lag").asLong();
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("GET /health answered " + a.status() + ": " + a.body(), e);
    }
  }

  @Override
  public void close() {
    processes.forEach(RoleProcess::close);
  }
}

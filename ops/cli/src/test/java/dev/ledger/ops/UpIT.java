package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.testkit.Examples;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ledger as {@code ledger up} runs it: embedded broker, streams, indexer and HTTP API in
 * one process. Posts the contract's example batch in a shuffled order through HTTP and expects the
 * exact token answer of shared/examples; then restarts on the same data directory.
 */
class UpIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  static LedgerNode start(Path data) {
    LedgerConfig config =
        LedgerConfig.defaults(
            Map.of(
                "data.dir",
                data.toString(),
                "http.port",
                "0",
                "kafka.embedded.port",
                "0",
                "topics.partitions",
                "4",
                "streams.commit.interval",
                "20ms",
                // After a restart the broker still counts the previous streams consumer as a
                // member until its session times out (45 s by default): keep that short here.
                "kafka.client.session.timeout.ms",
                "6000"));
    return LedgerNode.start(
        config,
        EnumSet.allOf(LedgerNode.Role.class),
        new PrintStream(OutputStream.nullOutputStream()));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a {@code ledger} command in-process and returns what it printed. */
  static String cli(String... args) {
    return cliExit(0, args);
  }

  /**
   * Runs a {@code ledger} command in-process, expects its exit code, and returns what it printed on
   * stdout.
   */
  static String cliExit(int expected, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = dev.ledger.ops.cli.LedgerCommand.commandLine();
    cl.setOut(new java.io.PrintWriter(out));
    cl.setErr(new java.io.PrintWriter(err));
    int code = cl.execute(args);
    assertThat(code).as("ledger %s: %s %s", String.join(" ", args), out, err).isEqualTo(expected);
    return out.toString();
  }

  /**
   * Point in time (issue 19) on the contract example, through the real node over HTTP, the README's
   * command and the CLI: {@code posting} is a time before any of its events was posted.
   */
  static void pointInTime(String base, String key, Path work, int port, Instant posting)
      throws Exception {
    java.util.function.Function<String, JsonNode> get =
        path -> {
          try {
            HttpResponse<String> r =
                send(
                    HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + key));
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    String lhr = "/v1/tokens/tok-flights-lhr?tenant=acme&at=";
    JsonNode before = get.apply(lhr + "2026-11-20T09:00:08Z");
    assertThat(before.get("status").asText()).isEqualTo("active");
    assertThat(before.get("uses").asInt()).isZero();
    JsonNode used = get.apply(lhr + "2026-11-20T09:00:10Z");
    assertThat(used.get("status").asText()).isEqualTo("active");
    assertThat(used.get("uses").asInt()).isEqualTo(1);
    JsonNode revoked =
        JSON.readTree(ReadmeSnippets.run(ReadmeSnippets.all().get("token-at"), work, port));
    assertThat(revoked.get("status").asText()).isEqualTo("revoked");
    assertThat(revoked.get("revocation_cause").asText()).isEqualTo("tok-flights");
    assertThat(revoked.get("uses").asInt()).isEqualTo(1);
    // Before any of it was posted, the ledger knew no such token.
    HttpResponse<String> unknown =
        send(
            HttpRequest.newBuilder(
                    URI.create(base + lhr + "2026-11-20T09:01:30Z&known_at=" + posting))
                .header("Authorization", "Bearer " + key));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.body())
        .contains("was not issued by 2026-11-20T09:01:30Z as the ledger knew it");

    JsonNode scraper =
        get.apply("/v1/authority?tenant=acme&actor=agent:fare-scraper&at=2026-11-20T09:00:10Z");
    assertThat(scraper.get("items")).hasSize(1);
    assertThat(scraper.get("items").get(0).get("token_id").asText()).isEqualTo("tok-flights-lhr");
    assertThat(scraper.get("items").get(0).get("principal").asText()).isEqualTo("user:dana");
    assertThat(
            get.apply("/v1/authority?tenant=acme&actor=agent:fare-scraper&at=2026-11-20T09:01:30Z")
                .get("items"))
        .isEmpty();
    JsonNode history = get.apply("/v1/tokens/tok-flights-lhr/history?tenant=acme");
    List<String> kinds = new ArrayList<>();
    history.get("items").forEach(t -> kinds.add(t.get("transition").asText()));
    assertThat(kinds)
        .containsExactly("attenuated", "used", "revoked", "used", "violation", "expired");
    history
        .get("items")
        .forEach(t -> assertThat(Instant.parse(t.get("recorded_at").asText())).isAfter(posting));

    String[] client = {"--tenant", "acme", "--url", base, "--key", key};
    assertThat(
            cli(
                concat(
                    new String[] {"token", "tok-flights-lhr", "--at", "2026-11-20T09:00:10Z"},
                    client)))
        .contains("status ACTIVE", "on behalf of user:dana");
    assertThat(
            cli(
                concat(
                    new String[] {
                      "authority",
                      "--actor",
                      "agent:fare-scraper",
                      "--at",
                      "2026-11-20T09:00:10Z",
                      "--known-at",
                      Instant.now().toString()
                    },
                    client)))
        .contains(
            "tok-flights-lhr", "user:dana", "tok-root > tok-flights > tok-flights-lhr", "1/3");
    assertThat(
            cli(
                concat(
                    new String[] {
                      "authority",
                      "--actor",
                      "agent:fare-scraper",
                      "--at",
                      "2026-11-20T09:01:30Z",
                      "--json"
                    },
                    client)))
        .isBlank();
    assertThat(cli(concat(new String[] {"history", "tok-flights-lhr"}, client)))
        .contains("attenuated", "revoked", "tok-flights", "use_after_revocation", "expired");
    cliExit(1, concat(new String[] {"token", "tok-flights-lhr", "--at", "not-a-time"}, client));
  }

  /** How many GET requests on {@code route} the node has answered, from its {@code /metrics}. */
  static long answered(String base, String route) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/metrics")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body()
        .lines()
        .filter(l -> l.startsWith("http_server_requests_seconds_count{"))
        .filter(l -> l.contains("method=\"GET\"") && l.contains("route=\"" + route + "\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theExampleBatchResolvesToTheExampleTokenInAnyOrderAndSurvivesARestart() throws Exception {
    Path data = tmp.resolve("data");
    List<String> lines =
        new ArrayList<>(Arrays.asList(Examples.quickstartNdjson().strip().split("\n")));
    long seed = Long.getLong("ledger.seed", System.nanoTime());
    Collections.shuffle(lines, new Random(seed));
    System.out.println("UpIT shuffle seed " + seed);
    JsonNode expected = JSON.readTree(Examples.tokenResponseJson());
    String key;
    try (LedgerNode node = start(data)) {
      key = Files.readString(data.resolve("admin.key")).strip();
      assertThat(node.newAdminKey()).isEqualTo(key);
      // Nobody but the owner may read the data directory, the admin key or the API keys.
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("admin.key"))))
          .isEqualTo("rw-------");
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("keys.json"))))
          .isEqualTo("rw-------");
      String base = "http://127.0.0.1:" + node.httpPort();
      Instant posting = Instant.now();
      // Each event in its own request, so arrival order really is the shuffled one.
      for (String line : lines) {
        HttpResponse<String> r =
            send(
                HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(line)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(1);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                HttpResponse<String> r =
                    send(
                        HttpRequest.newBuilder(
                                URI.create(base + "/v1/tokens/tok-flights-lhr?tenant=acme"))
                            .header("Authorization", "Bearer " + key));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(JSON.readTree(r.body())).isEqualTo(expected);
              });
      // The README's own commands, run as a reader would from the repository root (same events:
      // deduplicated).
      Path work = data.getParent();
      Files.createDirectories(work.resolve("docs/examples"));
      Files.copy(
          ReadmeSnippets.repoRoot().resolve("docs/examples/quickstart.ndjson"),
          work.resolve("docs/examples/quickstart.ndjson"));
      Map<String, String> snippets = ReadmeSnippets.all();
      assertThat(snippets).containsKeys("post-example", "get-token");
      assertThat(
              JSON.readTree(
                  ReadmeSnippets.run(snippets.get("post-example"), work, node.httpPort())))
          .isEqualTo(JSON.readTree("{\"accepted\":6}"));
      assertThat(
              JSON.readTree(ReadmeSnippets.run(snippets.get("get-token"), work, node.httpPort())))
          .isEqualTo(expected);

      // The auditor's command line over the same API.
      String tree =
          cli("token", "tok-flights-lhr", "--tenant", "acme", "--url", base, "--key", key);
      assertThat(tree)
          .contains(
              "status REVOKED",
              "on behalf of user:dana",
              "└─ tok-root  held by agent:travel-planner  (issued)",
              "└─ tok-flights-lhr  held by agent:fare-scraper  (attenuated)",
              "uses 2 of at most 3",
              "violations use_after_revocation");
      assertThat(cli("descendants", "tok-root", "--tenant", "acme", "--url", base, "--key", key))
          .contains("tok-flights ", "tok-flights-lhr ");
      String throughSearcher =
          cli(
              "audit",
              "--tenant",
              "acme",
              "--actor",
              "agent:flight-searcher",
              "--json",
              "--url",
              base,
              "--key",
              key);
      // The exchange, its revocation, the attenuation and both uses pass that hop.
      assertThat(
              throughSearcher
                  .lines()
                  .map(l -> l.replaceAll(".*\"event_id\":\"([^\"]+)\".*", "$1"))
                  .sorted())
          .as(throughSearcher)
          .containsExactly("ev-002", "ev-003", "ev-004", "ev-005", "ev-006");
      assertThat(
              cli(
                  "audit",
                  "--tenant",
                  "acme",
                  "--violation",
                  "use_after_revocation",
                  "--url",
                  base,
                  "--key",
                  key))
          .contains("GET /fares?route=LHR-JFK");

      pointInTime(base, key, work, node.httpPort(), posting);

      // The README's walk-through from a signed RFC 8693 exchange to its chain, through real ledger
      // processes.
      ReadmeSnippets.run(snippets.get("walk-report"), work, node.httpPort());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(ReadmeSnippets.run(snippets.get("walk-token"), work, node.httpPort()))
                      .contains(
                          "demo-flight-search  tenant acme  status ACTIVE",
                          "on behalf of user:dana",
                          "└─ demo-dana-trip  held by agent:travel-planner  (issued)",
                          "held by agent:booking-assistant  (exchanged)",
                          "└─ demo-flight-search  held by agent:flight-searcher  (exchanged)"));

      // A generated workload replayed through the API; a broken line is reported and the rest still
      // lands.
      Path load = work.resolve("load.jsonl");
      assertThat(
              cliExit(
                  0,
                  "generate",
                  "--trees",
                  "5",
                  "--depth",
                  "2",
                  "--fanout",
                  "2",
                  "--seed",
                  "7",
                  "-o",
                  load.toString()))
          .isEmpty();
      List<String> generated = Files.readAllLines(load);
      List<String> withBadLine = new ArrayList<>(generated);
      withBadLine.add(3, "{\"event_id\":\"broken\",\"type\":\"token.used\"}");
      Files.write(load, withBadLine);
      cliExit(4, "replay", load.toString(), "--batch", "10", "--url", base, "--key", key);
      assertThat(Files.readString(work.resolve("load.jsonl.rejected"))).startsWith("line 4: ");
      assertThat(cliExit(0, "replay", load.toString(), "--url", base, "--key", key))
          .as("nothing left to send: progress was saved")
          .isEmpty();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(
                          cli(
                                  "audit",
                                  "--tenant",
                                  "default",
                                  "--limit",
                                  "1000",
                                  "--json",
                                  "--url",
                                  base,
                                  "--key",
                                  key)
                              .lines())
                      .hasSize(generated.size()));

      // ledger tail follows new records; ledger revoke goes through the API and the cascade.
      long alertsBefore = answered(base, "/v1/alerts");
      java.util.concurrent.CompletableFuture<String> tail =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  cli(
                      "tail",
                      "--tenant",
                      "acme",
                      "--count",
                      "1",
                      "--interval",
                      "200ms",
                      "--url",
                      base,
                      "--key",
                      key));
      // The first poll (audit, then alerts) only learns what is already there: revoke after it.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> tail.isDone() || answered(base, "/v1/alerts") > alertsBefore);
      assertThat(
              cli(
                  "revoke",
                  "tok-root",
                  "--tenant",
                  "acme",
                  "--reason",
                  "compromised",
                  "--url",
                  base,
                  "--key",
                  key))
          .contains("revocation of tok-root accepted");
      assertThat(tail.get(60, java.util.concurrent.TimeUnit.SECONDS))
          .contains("token.revoked", "tok-root");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(
                          cli("token", "tok-root", "--tenant", "acme", "--url", base, "--key", key))
                      .contains(
                          "tok-root  tenant acme  status REVOKED", "(revocation of tok-root)"));

      HttpResponse<String> unauthorized =
          send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens/tok-root?tenant=acme")));
      assertThat(unauthorized.statusCode()).isEqualTo(401);
    }
    try (LedgerNode again = start(data)) {
      assertThat(again.newAdminKey()).isNull();
      String base = "http://127.0.0.1:" + again.httpPort();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                HttpResponse<String> r =
                    send(
                        HttpRequest.newBuilder(
                                URI.create(base + "/v1/tokens/tok-flights-lhr?tenant=acme"))
                            .header("Authorization", "Bearer " + key));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(JSON.readTree(r.body())).isEqualTo(expected);
              });
    }
  }
}

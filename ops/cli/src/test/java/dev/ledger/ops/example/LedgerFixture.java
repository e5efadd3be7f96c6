package dev.ledger.ops.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.example.ExampleSettings;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.LedgerClient;
import dev.ledger.ops.SharedNode;
import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.schemas.avro.LedgerEvent;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole ledger in-process as {@code ./ledger up} runs it, plus the HTTP calls the example tests
 * make.
 */
final class LedgerFixture implements AutoCloseable {

  static final String TENANT = "acme";
  static final String AUDIENCE = "https://api.flights.example";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final LedgerNode node;
  final String key;
  final String base;
  final LedgerClient client;
  private final boolean ownsNode;

  private LedgerFixture(LedgerNode node, String key, boolean ownsNode) {
    this.node = node;
    this.key = key;
    this.ownsNode = ownsNode;
    this.base = node.httpScheme() + "://127.0.0.1:" + node.httpPort();
    this.client = LedgerClient.overHttp(URI.create(base), key);
  }

  static LedgerFixture start(Path data) throws Exception {
    return start(data, Map.of());
  }

  /**
   * @param extra settings beyond the fixture's own (which they override)
   */
  static LedgerFixture start(Path data, Map<String, String> extra) throws Exception {
    return start(data, extra, EnumSet.allOf(LedgerNode.Role.class));
  }

  /**
   * @param roles what the node runs; the API role is needed (the fixture talks to its HTTP API)
   */
  static LedgerFixture start(Path data, Map<String, String> extra, Set<LedgerNode.Role> roles)
      throws Exception {
    Map<String, String> settings =
        new java.util.HashMap<>(
            Map.of(
                "data.dir",
                data.toString(),
                "http.port",
                "0",
                "kafka.embedded.port",
                "0",
                "topics.partitions",
                "4"));
    settings.putAll(extra);
    // Benchmarks compare settings: -Dledger.fixture.set=streams.commit.interval=100ms,index.x=y
    for (String pair : System.getProperty("ledger.fixture.set", "").split(",")) {
      if (pair.contains("=")) {
        settings.put(
            pair.substring(0, pair.indexOf('=')).strip(),
            pair.substring(pair.indexOf('=') + 1).strip());
      }
    }
    LedgerConfig config = LedgerConfig.defaults(settings);
    LedgerNode node =
        LedgerNode.start(config, roles, new PrintStream(OutputStream.nullOutputStream()));
    return new LedgerFixture(node, Files.readString(data.resolve("admin.key")).strip(), true);
  }

  /**
   * The module's shared node ({@link SharedNode}), for a test that neither restarts nor kills it
   * and is the only one there to use the tenant {@link #TENANT}; closing the fixture leaves the
   * node running.
   */
  static LedgerFixture shared() {
    return new LedgerFixture(SharedNode.node(), SharedNode.adminKey(), false);
  }

  /**
   * Settings for an example server on a free port following this ledger over Kafka, or over SSE.
   */
  ExampleSettings exampleSettings(boolean overKafka) {
    return exampleSettings(overKafka, Map.of());
  }

  /**
   * The same with extra Kafka consumer properties for the subscriber (the broker's login is added
   * over Kafka).
   */
  ExampleSettings exampleSettings(boolean overKafka, Map<String, String> consumerConfig) {
    ExampleSettings.Builder b = ExampleSettings.builder();
    if (overKafka) {
      b.kafkaClient(node.kafkaClientSettings());
    }
    consumerConfig.forEach(b::consumerConfig);
    return b.port(0)
        .tenant(TENANT)
        .audience(AUDIENCE)
        .ledgerUrl(base)
        .ledgerKey(key)
        .caughtUpTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * Posts a chain {@code prefix-0} (root, issued) to {@code prefix-depth}, alternating exchanges
   * and attenuations, as one batch; returns the token ids root first.
   */
  List<String> postChain(String prefix, int depth) {
    List<String> ids = new ArrayList<>();
    List<LedgerEvent> events = new ArrayList<>();
    Instant t = Instant.now();
    ids.add(prefix + "-0");
    events.add(
        Events.issued(prefix + "-0")
            .tenant(TENANT)
            .issuer("https://auth.acme.example")
            .subject("user:dana")
            .actor("agent:planner")
            .audience(AUDIENCE)
            .scopes("flights:search")
            .expiresAt(t.plusSeconds(3600))
            .occurredAt(t)
            .build());
    for (int d = 1; d <= depth; d++) {
      String id = prefix + "-" + d;
      String parent = ids.get(d - 1);
      events.add(
          (d % 2 == 1
                  ? Events.exchanged(id, parent)
                      .issuer("https://auth.acme.example")
                      .audience(AUDIENCE)
                      .scopes("flights:search")
                  : Events.attenuated(id, parent))
              .tenant(TENANT)
              .actor("agent:hop-" + d)
              .occurredAt(t.plusMillis(d))
              .build());
      ids.add(id);
    }
    client.send(events);
    return ids;
  }

  /** Posts the revocation of {@code tokenId}; returns when the ledger acknowledged it. */
  void revoke(String tokenId) {
    client.send(
        Events.revoked(tokenId).tenant(TENANT).reason("test").revokedBy("user:dana").build());
  }

  /** GET on the ledger with the admin key. */
  HttpResponse<String> ledgerGet(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .header("Authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until this node's index answers for the token with its chain resolved up to {@code
   * rootId}: a child that arrives before its parent is indexed first as pending, with no root and
   * so no issuer to name yet.
   */
  void awaitResolved(String tokenId, String rootId) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      HttpResponse<String> answer = ledgerGet("/v1/tokens/" + tokenId + "?tenant=" + TENANT);
      if (answer.statusCode() == 200
          && rootId.equals(JSON.readTree(answer.body()).path("root_id").asText())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("token " + tokenId + " not indexed with root " + rootId);
      }
      Thread.sleep(100);
    }
  }

  /** The audit records of one token. */
  JsonNode audit(String tokenId) throws Exception {
    HttpResponse<String> r =
        ledgerGet("/v1/audit?tenant=" + TENANT + "&token=" + tokenId + "&limit=100");
    if (r.statusCode() != 200) {
      throw new AssertionError("audit answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).get("items");
  }

  /** {@code GET /fares} on an example server, as {@code agent} with {@code token}. */
  static HttpResponse<String> fares(int port, String token, String agent, String route)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fares?route=" + route))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (agent != null) {
      b.header("X-Agent", agent);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    client.close();
    if (ownsNode) {
      node.close();
    }
  }
}

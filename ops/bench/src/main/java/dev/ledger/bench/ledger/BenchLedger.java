package dev.ledger.bench.ledger;

import dev.ledger.bench.harness.Dirs;
import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A ledger started the way {@code ledger up} starts it (every role in this JVM on an embedded KRaft
 * broker, exactly-once), in a fresh data directory that is deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (BenchLedger ledger = BenchLedger.start(BenchLedger.Options.defaults().partitions(6))) {
 *   ledger.api().get("/v1/audit?limit=1&tenant=*");
 * }
 * }</pre>
 */
public final class BenchLedger implements LedgerUnderTest {

  /**
   * How to start it.
   *
   * @param partitions partitions of every ledger topic
   * @param commitInterval the streams commit interval (latency versus throughput); null keeps the
   *     ledger's default, what {@code ledger up} runs with
   * @param roles the roles to run
   * @param dataDir where the data lives; null for a fresh temporary directory deleted on close
   * @param settings further ledger configuration ({@code ledger config} keys), applied last
   */
  public record Options(
      int partitions,
      Duration commitInterval,
      Set<LedgerNode.Role> roles,
      Path dataDir,
      Map<String, String> settings) {
    public Options {
      settings = Map.copyOf(settings);
    }

    public static Options defaults() {
      return new Options(6, null, EnumSet.allOf(LedgerNode.Role.class), null, Map.of());
    }

    public Options partitions(int v) {
      return new Options(v, commitInterval, roles, dataDir, settings);
    }

    public Options commitInterval(Duration v) {
      return new Options(partitions, v, roles, dataDir, settings);
    }

    public Options roles(Set<LedgerNode.Role> v) {
      return new Options(partitions, commitInterval, v, dataDir, settings);
    }

    public Options dataDir(Path v) {
      return new Options(partitions, commitInterval, roles, v, settings);
    }

    public Options settings(Map<String, String> v) {
      return new Options(partitions, commitInterval, roles, dataDir, v);
    }
  }

  private final LedgerNode node;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final ApiCalls api;
  private final Map<String, Counter> indexedCounters =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile io.micrometer.core.instrument.Gauge lagGauge;

  private BenchLedger(LedgerNode node, Path dataDir, boolean deleteOnClose) {
    this.node = node;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    String key;
    try {
      key =
          node.newAdminKey() != null
              ? node.newAdminKey()
              : Files.readString(node.adminKeyFile()).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.api =
        node.httpPort() < 0 ? null : new ApiCalls("http://127.0.0.1:" + node.httpPort(), key);
  }

  /** Starts a ledger; its progress lines are not printed. */
  public static BenchLedger start(Options options) {
    boolean temporary = options.dataDir() == null;
    Path dir;
    try {
      dir = temporary ? Files.createTempDirectory("ledger-bench-") : options.dataDir();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> config = new HashMap<>();
    config.put("data.dir", dir.toString());
    config.put("http.port", "0");
    config.put("kafka.embedded.port", "0");
    config.put("topics.partitions", Integer.toString(options.partitions()));
    if (options.commitInterval() != null) {
      config.put("streams.commit.interval", options.commitInterval().toMillis() + "ms");
    }
    config.putAll(options.settings());
    try {
      LedgerNode node = LedgerNode.start(LedgerConfig.defaults(config), options.roles(), quiet());
      return new BenchLedger(node, dir, temporary);
    } catch (RuntimeException | Error e) {
      if (temporary) {
        Dirs.deleteTree(dir);
      }
      throw e;
    }
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }

  /**
   * The streams commit interval a ledger started with {@code settings} runs with, e.g. {@code 50
   * ms}.
   */
  public static String commitInterval(Map<String, String> settings) {
    return LedgerConfig.defaults(settings).duration(ConfigKey.STREAMS_COMMIT_INTERVAL).toMillis()
        + " ms";
  }

  @Override
  public KafkaClientSettings kafkaClient() {
    return node.kafkaClientSettings();
  }

  /** A client for the HTTP API with the admin key; null when the API role is not running. */
  @Override
  public ApiCalls api() {
    return api;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  /** Records the indexer has written from {@code topic} so far (searchable within one refresh). */
  @Override
  public double indexed(String topic) {
    // A registry search walks every meter (thousands of Kafka client meters): find the counter
    // once.
    Counter c =
        indexedCounters.computeIfAbsent(
            topic,
            t ->
                Search.in(node.registry())
                    .name("ledger.index.documents")
                    .tag("topic", t)
                    .counter());
    return c == null ? 0 : c.count();
  }

  /**
   * Records the indexer is behind the output topics' ends ({@code ledger.index.lag}); NaN while
   * unknown.
   */
  @Override
  public double indexLag() {
    io.micrometer.core.instrument.Gauge g = lagGauge;
    if (g == null) {
      g = Search.in(node.registry()).name("ledger.index.lag").gauge();
      lagGauge = g;
    }
    return g == null ? Double.NaN : g.value();
  }

  @Override
  public void close() {
    node.close();
    if (deleteOnClose) {
      Dirs.deleteTree(dataDir);
    }
  }
}

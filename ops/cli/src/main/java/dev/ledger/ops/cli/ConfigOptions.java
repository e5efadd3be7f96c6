package dev.ledger.ops.cli;

import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.runtime.config.LedgerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every running role shares; each maps onto one config key. */
public final class ConfigOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "properties file (default: ./ledger.properties if present)")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: data)")
  String dataDir;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "an external Kafka cluster instead of the embedded broker")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client settings (bootstrap.servers, security), e.g. the data/kafka-client.properties of a 'ledger up'")
  String kafkaConfig;

  @Option(names = "--partitions", description = "partitions of ledger topics created (default: 6)")
  Integer partitions;

  @Option(
      names = "--replication-factor",
      description =
          "replication of ledger topics created (default: the cluster's brokers, at most 3)")
  Integer replication;

  @Option(names = "--http-host", description = "HTTP listen address (default: 127.0.0.1)")
  String httpHost;

  @Option(names = "--http-port", description = "HTTP port (default: 8080)")
  Integer httpPort;

  @Option(names = "--kafka-port", description = "port of the embedded broker (default: 9092)")
  Integer kafkaPort;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "any config key, e.g. --set streams.commit.interval=20ms")
  Map<String, String> extra = new HashMap<>();

  /** The effective config for this invocation. */
  public LedgerConfig load() {
    Map<String, String> o = new HashMap<>(extra);
    put(o, ConfigKey.DATA_DIR, dataDir);
    put(o, ConfigKey.BOOTSTRAP_SERVERS, bootstrapServers);
    put(o, ConfigKey.KAFKA_CONFIG_FILE, kafkaConfig);
    put(o, ConfigKey.PARTITIONS, partitions);
    put(o, ConfigKey.REPLICATION, replication);
    put(o, ConfigKey.HTTP_HOST, httpHost);
    put(o, ConfigKey.HTTP_PORT, httpPort);
    put(o, ConfigKey.EMBEDDED_PORT, kafkaPort);
    return LedgerConfig.load(configFile, System.getenv(), o);
  }

  private static void put(Map<String, String> o, ConfigKey key, Object value) {
    if (value != null) {
      o.put(key.key(), value.toString());
    }
  }
}

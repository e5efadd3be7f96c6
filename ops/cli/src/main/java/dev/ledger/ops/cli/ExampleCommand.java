package dev.ledger.ops.cli;

import dev.ledger.example.ExampleResourceServer;
import dev.ledger.example.ExampleSettings;
import dev.ledger.ops.client.ApiClient;
import dev.ledger.ops.client.ApiException;
import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger example-resource-server}: runs {@link ExampleResourceServer} until Ctrl-C.
 * Revocations come from Kafka with {@code --kafka-config} (the {@code data/kafka-client.properties}
 * of {@code ledger up}: address and login) and/or {@code --bootstrap-servers}, or from the ledger's
 * SSE stream with {@code --sse}; uses are always reported to {@code --url} with {@code --key}.
 */
@Command(
    name = "example-resource-server",
    mixinStandardHelpOptions = true,
    description =
        "Run the example resource server (GET /fares): refuses revoked tokens, reports every use to the ledger.")
public final class ExampleCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9000",
      description = "port to listen on (default: 9000; 0 = any free port)")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "interface to listen on (default: 127.0.0.1)")
  String host;

  @Option(
      names = "--tenant",
      required = true,
      description = "the tenant whose tokens this server accepts")
  String tenant;

  @Option(
      names = "--audience",
      required = true,
      paramLabel = "URL",
      description = "this server's URL as tokens name it, e.g. https://api.flights.example")
  String audience;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "follow revocations on this Kafka")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "follow revocations on the Kafka this client settings file names, with its login"
              + " (data/kafka-client.properties of 'ledger up'); --bootstrap-servers and --consumer-config win over it")
  Path kafkaConfig;

  @Option(
      names = "--sse",
      description = "follow revocations over the ledger's /v1/revocations/stream instead of Kafka")
  boolean sse;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:LEDGER_URL:-http://127.0.0.1:8080}",
      description =
          "the ledger API, where uses are reported (default: $LEDGER_URL or http://127.0.0.1:8080)")
  String url;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "a producer or admin key for the tenant (default: $LEDGER_KEY, else <data-dir>/admin.key)")
  String key;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "where admin.key is (default: data)")
  Path dataDir;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "how long to wait for the revocations to load before serving (403 until then; default: 60)")
  long waitSeconds;

  @Option(
      names = "--revocation-store",
      paramLabel = "memory|rocksdb",
      defaultValue = "memory",
      description =
          "where the subscriber keeps revocations: memory (default) or rocksdb (off the heap, for very large sets)")
  String store;

  @Option(
      names = "--consumer-config",
      paramLabel = "KEY=VALUE",
      description =
          "a Kafka consumer property for the revocation subscriber (repeatable), e.g. security.protocol=SSL")
  Map<String, String> consumerConfig = new LinkedHashMap<>();

  @Override
  public void run() {
    ExampleSettings settings = settings();
    ExampleResourceServer server = ExampleResourceServer.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "example-shutdown"));
    spec.commandLine()
        .getOut()
        .printf(
            "example resource server: http://%s:%d/fares (tenant %s, %s, revocations over %s)."
                + " Ctrl-C to stop.%n",
            host,
            server.port(),
            tenant,
            audience,
            sse ? "SSE from " + url : "Kafka " + settings.bootstrapServers());
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The settings these options describe; a {@link UserException} naming every problem otherwise.
   */
  ExampleSettings settings() {
    if (sse == (bootstrapServers != null || kafkaConfig != null)) {
      throw new UserException(
          "give exactly one of --kafka-config FILE or --bootstrap-servers (Kafka) and --sse"
              + " (the ledger's stream)");
    }
    try {
      ExampleSettings.Builder b = ExampleSettings.builder();
      if (kafkaConfig != null) {
        b.kafkaClient(KafkaClientSettings.read(kafkaConfig));
      }
      consumerConfig.forEach(b::consumerConfig);
      b.store(
          switch (store.toLowerCase(java.util.Locale.ROOT)) {
            case "memory" -> RevocationSettings.Store.MEMORY;
            case "rocksdb" -> RevocationSettings.Store.ROCKSDB;
            default ->
                throw new UserException(
                    "--revocation-store must be memory or rocksdb, not " + store);
          });
      if (bootstrapServers != null) {
        b.bootstrapServers(bootstrapServers);
      }
      return b.host(host)
          .port(port)
          .tenant(tenant)
          .audience(audience)
          .ledgerUrl(url)
          .ledgerKey(ApiClient.resolveKey(key, dataDir.resolve("admin.key")))
          .caughtUpTimeout(Duration.ofSeconds(waitSeconds))
          .build();
    } catch (IOException e) {
      throw new UserException(
          "--kafka-config " + kafkaConfig + " cannot be read: " + e.getMessage());
    } catch (ApiException e) {
      throw new UserException(e.getMessage());
    } catch (InvalidSettingsException e) {
      throw new UserException(String.join("; ", e.problems()));
    }
  }
}

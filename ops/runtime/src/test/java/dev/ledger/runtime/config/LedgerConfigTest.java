package dev.ledger.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerConfigTest {

  @TempDir Path tmp;

  @Test
  void defaultsNeedNoConfiguration() {
    LedgerConfig c = LedgerConfig.defaults(Map.of());
    assertThat(c.optional(ConfigKey.BOOTSTRAP_SERVERS)).isNull();
    assertThat(c.integer(ConfigKey.PARTITIONS)).isEqualTo(6);
    assertThat(c.string(ConfigKey.HTTP_HOST)).isEqualTo("127.0.0.1");
    assertThat(c.integer(ConfigKey.HTTP_PORT)).isEqualTo(8080);
    assertThat(c.dataPath(ConfigKey.INDEX_DIR)).isEqualTo(Path.of("data", "index"));
    assertThat(c.duration(ConfigKey.STREAMS_COMMIT_INTERVAL)).isEqualTo(Duration.ofMillis(100));
    assertThat(c.duration(ConfigKey.STREAMS_USES_FLUSH_INTERVAL)).isEqualTo(Duration.ofMillis(500));
    assertThat(c.integer(ConfigKey.STREAMS_MAX_DEPTH)).isEqualTo(64);
    assertThat(c.duration(ConfigKey.INDEX_REFRESH)).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void limitsDefaultToTheDocumentedOnesAndAreConfigurable() {
    assertThat(LedgerConfig.defaults(Map.of()).limits())
        .isEqualTo(dev.ledger.schemas.LedgerLimits.DEFAULTS);
    LedgerConfig c =
        LedgerConfig.defaults(Map.of("limits.text.length", "2000", "limits.problems", "10"));
    assertThat(c.limits().maxTextLength()).isEqualTo(2000);
    assertThat(c.limits().maxProblems()).isEqualTo(10);
    assertThat(c.limits().maxTokenIdLength()).isEqualTo(256);
  }

  @Test
  void httpFairShareKeysDefaultToTheApiSettingsDefaults() {
    LedgerConfig c = LedgerConfig.defaults(Map.of());
    dev.ledger.api.ApiSettings d = dev.ledger.api.ApiSettings.builder().build();
    assertThat(c.integer(ConfigKey.HTTP_MAX_IN_FLIGHT)).isEqualTo(d.maxInFlightWrites());
    assertThat(c.integer(ConfigKey.HTTP_MAX_IN_FLIGHT_PER_CREDENTIAL))
        .isEqualTo(d.maxInFlightWritesPerCredential());
    assertThat(c.integer(ConfigKey.SSE_MAX_CLIENTS_PER_CREDENTIAL))
        .isEqualTo(d.maxSseClientsPerCredential());
    assertThat(c.integer(ConfigKey.HTTP_MAX_STREAMS)).isEqualTo(d.maxLongResponses());
    assertThat(c.integer(ConfigKey.HTTP_MAX_STREAMS_PER_CREDENTIAL))
        .isEqualTo(d.maxLongResponsesPerCredential());
    assertThat(c.duration(ConfigKey.HTTP_BODY_TIMEOUT)).isEqualTo(d.requestBodyTimeout());
    assertThat(c.duration(ConfigKey.HTTP_IDLE_TIMEOUT)).isEqualTo(d.idleTimeout());
    assertThat(c.duration(ConfigKey.HTTP_CREDENTIAL_RECHECK)).isEqualTo(d.credentialRecheck());
  }

  @Test
  void fileThenEnvironmentThenCommandLine() throws Exception {
    Path file = tmp.resolve("ledger.properties");
    Files.writeString(
        file,
        "http.port=9000\ntopics.partitions=12\ndata.dir=/srv/ledger\nkafka.client.security.protocol=SSL\n");
    LedgerConfig c =
        LedgerConfig.load(
            file,
            Map.of("LEDGER_TOPICS_PARTITIONS", "3", "LEDGER_HTTP_HOST", "0.0.0.0"),
            Map.of("topics.partitions", "4"));
    assertThat(c.integer(ConfigKey.HTTP_PORT)).isEqualTo(9000);
    assertThat(c.string(ConfigKey.HTTP_HOST)).isEqualTo("0.0.0.0");
    assertThat(c.integer(ConfigKey.PARTITIONS)).isEqualTo(4);
    assertThat(c.dataPath(ConfigKey.KEYS_FILE)).isEqualTo(Path.of("/srv/ledger/keys.json"));
    assertThat(c.kafkaClientProperties()).containsEntry("security.protocol", "SSL");
    assertThat(c.describe())
        .anyMatch(l -> l.startsWith("topics.partitions=4") && l.contains("command line"));
  }

  @Test
  void aKafkaConfigFileNamesTheClusterAndTheExplicitKeysWin() throws Exception {
    Path file = tmp.resolve("kafka-client.properties");
    new KafkaClientSettings(
            "broker:9093", Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"))
        .write(file);
    LedgerConfig fromFile = LedgerConfig.defaults(Map.of("kafka.config.file", file.toString()));
    assertThat(fromFile.externalKafka())
        .hasValueSatisfying(
            k -> {
              assertThat(k.bootstrapServers()).isEqualTo("broker:9093");
              assertThat(k.properties())
                  .containsEntry("security.protocol", "SASL_PLAINTEXT")
                  .containsEntry("sasl.mechanism", "PLAIN");
            });
    LedgerConfig overridden =
        LedgerConfig.defaults(
            Map.of(
                "kafka.config.file",
                file.toString(),
                "kafka.bootstrap.servers",
                "other:9092",
                "kafka.client.sasl.mechanism",
                "SCRAM-SHA-512"));
    assertThat(overridden.externalKafka())
        .hasValueSatisfying(
            k -> {
              assertThat(k.bootstrapServers()).isEqualTo("other:9092");
              assertThat(k.properties())
                  .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                  .containsEntry("security.protocol", "SASL_PLAINTEXT");
            });
    assertThat(LedgerConfig.defaults(Map.of()).externalKafka()).as("the embedded broker").isEmpty();
    assertThatThrownBy(
            () ->
                LedgerConfig.defaults(Map.of("kafka.config.file", tmp.resolve("nope").toString()))
                    .externalKafka())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.config.file=");
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                LedgerConfig.defaults(
                    Map.of(
                        "http.port",
                        "99999",
                        "topics.partitions",
                        "zero",
                        "streams.commit.interval",
                        "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port=99999")
        .hasMessageContaining("topics.partitions=zero")
        .hasMessageContaining("streams.commit.interval=soon");
  }

  @Test
  void secretsAreMasked() {
    LedgerConfig c =
        LedgerConfig.defaults(Map.of("kafka.client.sasl.jaas.config", "user=x password=hunter2"));
    assertThat(String.join("\n", c.describe()))
        .doesNotContain("hunter2")
        .contains("kafka.client.sasl.jaas.config=********");
  }

  @Test
  void aMissingConfigFileIsAnError() {
    assertThatThrownBy(() -> LedgerConfig.load(tmp.resolve("nope.properties"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void environmentNamesMapToKeys() {
    assertThat(LedgerConfig.envName("streams.commit.interval"))
        .isEqualTo("LEDGER_STREAMS_COMMIT_INTERVAL");
  }
}

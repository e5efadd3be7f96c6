package dev.ledger.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.example.ExampleSettings;
import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's options become settings, and the settings report every problem at once. */
class ExampleCommandTest {

  static ExampleCommand parse(String... args) {
    ExampleCommand command = new ExampleCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void kafkaOptionsBecomeKafkaSettings() {
    ExampleSettings s =
        parse(
                "--port",
                "9100",
                "--tenant",
                "acme",
                "--audience",
                "https://api.flights.example",
                "--bootstrap-servers",
                "127.0.0.1:9092",
                "--url",
                "http://127.0.0.1:8081",
                "--key",
                "k-1",
                "--consumer-config",
                "security.protocol=SSL",
                "--wait",
                "5")
            .settings();
    assertThat(s.overKafka()).isTrue();
    assertThat(s.port()).isEqualTo(9100);
    assertThat(s.audience().toString()).isEqualTo("https://api.flights.example");
    assertThat(s.ledgerUrl().toString()).isEqualTo("http://127.0.0.1:8081");
    assertThat(s.ledgerKey()).isEqualTo("k-1");
    assertThat(s.caughtUpTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.revocationSettings().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.revocationSettings().consumerConfig()).containsEntry("security.protocol", "SSL");
    assertThat(s.revocationSettings().tenant()).isEqualTo("acme");
  }

  @Test
  void aKafkaConfigFileGivesTheBrokerAndItsLogin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(KafkaClientSettings.FILE_NAME);
    new KafkaClientSettings(
            "127.0.0.1:9093",
            Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"))
        .write(file);
    String[] common = {
      "--tenant",
      "acme",
      "--audience",
      "https://a.example",
      "--key",
      "k",
      "--kafka-config",
      file.toString()
    };
    RevocationSettings s = parse(common).settings().revocationSettings();
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9093");
    assertThat(s.consumerConfig())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");
    String[] overridden =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(common),
                java.util.stream.Stream.of(
                    "--bootstrap-servers",
                    "h:1",
                    "--consumer-config",
                    "sasl.mechanism=SCRAM-SHA-256"))
            .toArray(String[]::new);
    RevocationSettings o = parse(overridden).settings().revocationSettings();
    assertThat(o.bootstrapServers()).isEqualTo("h:1");
    assertThat(o.consumerConfig()).containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    assertThatThrownBy(
            () ->
                parse(
                        "--tenant",
                        "acme",
                        "--audience",
                        "https://a.example",
                        "--key",
                        "k",
                        "--kafka-config",
                        dir.resolve("missing").toString())
                    .settings())
        .isInstanceOf(UserException.class)
        .hasMessageContaining("--kafka-config");
  }

  @Test
  void sseOptionsFollowTheLedgersStreamWithTheSameKey() {
    ExampleSettings s =
        parse(
                "--tenant",
                "acme",
                "--audience",
                "https://api.flights.example",
                "--sse",
                "--url",
                "http://127.0.0.1:8080",
                "--key",
                "k-2")
            .settings();
    assertThat(s.overKafka()).isFalse();
    assertThat(s.port()).isEqualTo(9000);
    assertThat(s.revocationSettings().bearerToken()).isEqualTo("k-2");
    assertThat(s.revocationSettings().streamUri().toString())
        .startsWith("http://127.0.0.1:8080/v1/revocations/stream");
  }

  @Test
  void theRevocationStoreIsMemoryUnlessRocksdbIsAsked() {
    String[] common = {
      "--tenant",
      "acme",
      "--audience",
      "https://a.example",
      "--key",
      "k",
      "--bootstrap-servers",
      "h:1"
    };
    assertThat(parse(common).settings().revocationSettings().store())
        .isEqualTo(RevocationSettings.Store.MEMORY);
    String[] rocks =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(common),
                java.util.stream.Stream.of("--revocation-store", "RocksDB"))
            .toArray(String[]::new);
    assertThat(parse(rocks).settings().revocationSettings().store())
        .isEqualTo(RevocationSettings.Store.ROCKSDB);
    String[] wrong =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(common),
                java.util.stream.Stream.of("--revocation-store", "disk"))
            .toArray(String[]::new);
    assertThatThrownBy(() -> parse(wrong).settings())
        .isInstanceOf(UserException.class)
        .hasMessageContaining("memory or rocksdb, not disk");
  }

  @Test
  void exactlyOneRevocationSourceIsRequired() {
    assertThatThrownBy(
            () ->
                parse("--tenant", "acme", "--audience", "https://a.example", "--key", "k")
                    .settings())
        .isInstanceOf(UserException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(
            () ->
                parse(
                        "--tenant",
                        "acme",
                        "--audience",
                        "https://a.example",
                        "--key",
                        "k",
                        "--sse",
                        "--bootstrap-servers",
                        "h:1")
                    .settings())
        .isInstanceOf(UserException.class)
        .hasMessageContaining("exactly one");
  }

  @Test
  void badOptionsAreReportedTogether() {
    assertThatThrownBy(
            () ->
                parse(
                        "--tenant",
                        " ",
                        "--audience",
                        "flights",
                        "--sse",
                        "--url",
                        "ftp://x",
                        "--key",
                        "k",
                        "--port",
                        "70000")
                    .settings())
        .isInstanceOf(UserException.class)
        .hasMessageContaining("tenant is required")
        .hasMessageContaining("audience must be an http(s) URL")
        .hasMessageContaining("ledger url must be an http(s) URL")
        .hasMessageContaining("port must be 0..65535");
  }

  @Test
  void settingsWithoutAKeyOrTenantListEveryProblem() {
    assertThatThrownBy(() -> ExampleSettings.builder().ledgerUrl(null).reportQueue(0).build())
        .isInstanceOfSatisfying(
            InvalidSettingsException.class, e -> assertThat(e.problems()).hasSize(5));
  }
}

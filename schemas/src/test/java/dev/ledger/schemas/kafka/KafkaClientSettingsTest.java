package dev.ledger.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  @TempDir Path tmp;

  @Test
  void theFileIsPrivateFromTheStartAndReadsBackAsWritten() throws Exception {
    KafkaClientSettings settings =
        new KafkaClientSettings(
            "127.0.0.1:9092",
            Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.jaas.config",
                "x required username=\"u\" password=\"p=1:2\";",
                "ssl.keystore.location",
                "C:\\keys\\ks.p12"));
    Path file = tmp.resolve(KafkaClientSettings.FILE_NAME);
    settings.write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(KafkaClientSettings.read(file)).isEqualTo(settings);
    // Plain key=value lines that java.util.Properties reads the same way.
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    assertThat(p)
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("sasl.jaas.config", "x required username=\"u\" password=\"p=1:2\";")
        .containsEntry("ssl.keystore.location", "C:\\keys\\ks.p12");
    assertThat(Files.readString(file)).contains("\nbootstrap.servers=127.0.0.1:9092\n");
  }

  @Test
  void rewritingReplacesTheFileAndKeepsItPrivate() throws Exception {
    Path file = tmp.resolve(KafkaClientSettings.FILE_NAME);
    Files.writeString(file, "bootstrap.servers=old:1\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    KafkaClientSettings.plaintext("new:2").write(file);
    assertThat(KafkaClientSettings.read(file).bootstrapServers()).isEqualTo("new:2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(tmp.resolve(KafkaClientSettings.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  void aFileWithoutBootstrapServersIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("k.properties"), "security.protocol=SSL\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void everyClientGetsTheSameSharedPropertiesAndTheValuesNeverShow() {
    KafkaClientSettings settings =
        KafkaClientSettings.plaintext("h:1")
            .with(Map.of("sasl.jaas.config", "secret", "bootstrap.servers", "elsewhere:9"))
            .with(Map.of("request.timeout.ms", 5000));
    assertThat(settings.config())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bootstrap.servers",
                "h:1",
                "sasl.jaas.config",
                "secret",
                "request.timeout.ms",
                "5000"));
    assertThat(settings.stringConfig()).containsEntry("request.timeout.ms", "5000");
    assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("secret");
  }
}

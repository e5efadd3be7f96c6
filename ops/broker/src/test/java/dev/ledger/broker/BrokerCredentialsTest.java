package dev.ledger.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

  @TempDir Path tmp;

  @Test
  void eachDataDirectoryGetsItsOwnRandomPassword() {
    BrokerCredentials a = BrokerCredentials.generate();
    BrokerCredentials b = BrokerCredentials.generate();
    assertThat(a.username()).isEqualTo("ledger");
    assertThat(a.password()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(b.password());
    assertThat(a.toString()).doesNotContain(a.password());
  }

  @Test
  void theClientPropertiesCarryTheLoginAndReadBack() {
    BrokerCredentials c = BrokerCredentials.generate();
    Map<String, String> client = c.clientProperties();
    assertThat(client)
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(client.get("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"ledger\" password=\""
                + c.password()
                + "\";");
    assertThat(BrokerCredentials.of(client)).contains(c);
    assertThat(BrokerCredentials.of(Map.of("security.protocol", "SSL"))).isEmpty();
    // The broker's side also names the one user it accepts.
    assertThat(c.listenerJaasConfig()).endsWith(" user_ledger=\"" + c.password() + "\";");
  }

  @Test
  void theFileKeepsThePasswordAcrossStartsAndAnOldOrBrokenOneGetsANewOne() throws Exception {
    Path file = tmp.resolve(KafkaClientSettings.FILE_NAME);
    BrokerCredentials first = BrokerCredentials.loadOrGenerate(file);
    new KafkaClientSettings("127.0.0.1:9092", first.clientProperties()).write(file);
    assertThat(BrokerCredentials.loadOrGenerate(file)).isEqualTo(first);

    KafkaClientSettings.plaintext("127.0.0.1:9092").write(file);
    assertThat(BrokerCredentials.loadOrGenerate(file).password()).isNotEqualTo(first.password());
    Files.writeString(file, "garbage without bootstrap\n");
    assertThat(BrokerCredentials.loadOrGenerate(file).password()).isNotEqualTo(first.password());
  }
}

package dev.ledger.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A broker started with credentials takes them on the client and the controller listener, and
 * nothing else.
 */
class EmbeddedKafkaLoginIT {

  /** Short timeouts: a refused client retries until its deadline. */
  private static Map<String, Object> client(String key, String servers, Map<String, String> login) {
    Map<String, Object> config = new java.util.HashMap<>(login);
    config.put(key, servers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    return config;
  }

  @Test
  void everyListenerRequiresTheLogin() throws Exception {
    Path dir = Files.createTempDirectory("ledger-kafka-login");
    BrokerCredentials login = BrokerCredentials.generate();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, login)) {
      assertThat(kafka.clientSettings().properties()).isEqualTo(login.clientProperties());
      for (String[] listener :
          new String[][] {
            {AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()},
            {AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, kafka.controllerServers()}
          }) {
        try (Admin admin =
            Admin.create(client(listener[0], listener[1], login.clientProperties()))) {
          assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
              .as(listener[0])
              .hasSize(1);
        }
        try (Admin anonymous = Admin.create(client(listener[0], listener[1], Map.of()))) {
          assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(30, TimeUnit.SECONDS))
              .as(listener[0])
              .isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(TimeoutException.class);
        }
        BrokerCredentials wrong =
            new BrokerCredentials(login.username(), "not-" + login.password());
        try (Admin impostor =
            Admin.create(client(listener[0], listener[1], wrong.clientProperties()))) {
          assertThatThrownBy(() -> impostor.describeCluster().nodes().get(30, TimeUnit.SECONDS))
              .as(listener[0])
              .isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
      }
    }
  }
}

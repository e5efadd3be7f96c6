package dev.ledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.testkit.Examples;
import io.micrometer.core.instrument.search.Search;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker of {@code ledger up} takes only the login it writes to {@code
 * data/kafka-client.properties}; the ledger's own clients, and another ledger given the file,
 * connect with it.
 */
class LocalBrokerLoginIT {

  @TempDir Path tmp;

  private static LedgerNode start(Set<LedgerNode.Role> roles, Map<String, String> settings) {
    Map<String, String> config =
        new java.util.HashMap<>(
            Map.of(
                "http.port",
                "0",
                "kafka.embedded.port",
                "0",
                "topics.partitions",
                "2",
                "streams.commit.interval",
                "20ms"));
    config.putAll(settings);
    return LedgerNode.start(
        LedgerConfig.defaults(config), roles, new PrintStream(OutputStream.nullOutputStream()));
  }

  private static Admin admin(Map<String, Object> config) {
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    return Admin.create(config);
  }

  @Test
  void theBrokerRefusesClientsWithoutTheLoginInTheClientFile() throws Exception {
    Path data = tmp.resolve("data");
    try (LedgerNode node =
        start(EnumSet.noneOf(LedgerNode.Role.class), Map.of("data.dir", data.toString()))) {
      Path file = data.resolve(KafkaClientSettings.FILE_NAME);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      KafkaClientSettings settings = KafkaClientSettings.read(file);
      assertThat(settings.bootstrapServers()).isEqualTo(node.bootstrapServers());
      assertThat(settings.properties())
          .containsEntry("security.protocol", "SASL_PLAINTEXT")
          .containsEntry("sasl.mechanism", "PLAIN")
          .containsKey("sasl.jaas.config");

      try (Admin withLogin = admin(settings.config())) {
        assertThat(withLogin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains(Topics.REVOCATIONS.name());
      }
      try (Admin anonymous =
          admin(KafkaClientSettings.plaintext(node.bootstrapServers()).config())) {
        assertThatThrownBy(() -> anonymous.listTopics().names().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TimeoutException.class);
      }
    }
  }

  @Test
  void aDataDirectoryFromBeforeTheLoginGetsOneAndKeepsItAcrossRestarts() throws Exception {
    Path data = tmp.resolve("data");
    // What an earlier version left: an unauthenticated broker's data and no client file.
    try (EmbeddedKafka old = EmbeddedKafka.start(data.resolve("kafka"), 0);
        Admin admin = admin(old.clientSettings().config())) {
      admin
          .createTopics(List.of(new NewTopic("made-before", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Path file = data.resolve(KafkaClientSettings.FILE_NAME);
    assertThat(file).doesNotExist();
    KafkaClientSettings first;
    try (LedgerNode node =
        start(EnumSet.noneOf(LedgerNode.Role.class), Map.of("data.dir", data.toString()))) {
      first = KafkaClientSettings.read(file);
      try (Admin admin = admin(first.config())) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains("made-before", Topics.EVENTS.name());
      }
    }
    try (LedgerNode node =
        start(EnumSet.noneOf(LedgerNode.Role.class), Map.of("data.dir", data.toString()))) {
      KafkaClientSettings again = KafkaClientSettings.read(file);
      assertThat(again.properties()).isEqualTo(first.properties());
      try (Admin admin = admin(again.config())) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("made-before");
      }
    }
  }

  /**
   * Every Kafka client of a ledger (topic admin, streams and its internal-topic admin, ingest,
   * indexer, notary) gets the settings of {@code kafka.config.file}: a second ledger on another
   * data directory, pointed at the first one's file, processes and indexes the example batch.
   */
  @Test
  void everyClientOfALedgerUsesTheClientFileItIsGiven() throws Exception {
    Path brokerData = tmp.resolve("broker");
    try (LedgerNode broker =
            start(
                EnumSet.noneOf(LedgerNode.Role.class), Map.of("data.dir", brokerData.toString()));
        LedgerNode ledger =
            start(
                EnumSet.allOf(LedgerNode.Role.class),
                Map.of(
                    "data.dir", tmp.resolve("ledger").toString(),
                    "kafka.config.file",
                        brokerData.resolve(KafkaClientSettings.FILE_NAME).toString()))) {
      assertThat(ledger.bootstrapServers()).isEqualTo(broker.bootstrapServers());
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + ledger.httpPort();
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                  .header("Authorization", "Bearer " + ledger.newAdminKey())
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(Examples.quickstartNdjson()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                HttpResponse<String> token =
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create(base + "/v1/tokens/tok-flights-lhr?tenant=acme"))
                            .header("Authorization", "Bearer " + ledger.newAdminKey())
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
                assertThat(
                        Search.in(ledger.registry())
                            .name("ledger.notary.appended")
                            .counter()
                            .count())
                    .isPositive();
              });
      assertThat(tmp.resolve("ledger").resolve(KafkaClientSettings.FILE_NAME))
          .as("only ledger up's broker writes one")
          .doesNotExist();
    }
  }
}

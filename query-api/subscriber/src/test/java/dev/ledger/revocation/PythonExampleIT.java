package dev.ledger.revocation;

import static dev.ledger.revocation.FakeRevocationStream.quote;
import static dev.ledger.revocation.RevocationFixtures.encode;
import static dev.ledger.revocation.RevocationFixtures.key;
import static dev.ledger.revocation.RevocationFixtures.notice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ledger.broker.BrokerCredentials;
import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.schemas.kafka.TopicAdmin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Runs the examples of docs/revocations.md against a real broker that wants a login, as {@code
 * ledger up}'s does: both read it from a {@code kafka-client.properties} file. The Python part is
 * skipped where /usr/bin/python3 with confluent-kafka and avro is missing (Debian:
 * python3-confluent-kafka python3-avro).
 */
class PythonExampleIT {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("examples/python/read_revocations.py");
  private static final Path SCHEMA = Path.of("../../schemas/src/main/avro/RevocationNotice.avsc");

  private static boolean pythonModulesPresent() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka, avro.io")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void theExamplesReadTheLiveRevocationsWithTheLoginFromTheClientFile() throws Exception {
    List<String> expected = new ArrayList<>();
    Path dir = Files.createTempDirectory("ledger-kafka-examples");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, BrokerCredentials.generate())) {
      TopicAdmin.ensureTopics(kafka.clientSettings(), 3, (short) 1);
      Path clientFile = dir.resolve(KafkaClientSettings.FILE_NAME);
      kafka.clientSettings().write(clientFile);
      String topic = Topics.REVOCATIONS.name();
      try (KafkaProducer<byte[], byte[]> producer =
          RevocationFixtures.producer(kafka.clientSettings(), Optional.empty())) {
        for (int i = 0; i < 60; i++) {
          String token = i == 7 ? "tök-\"7\"" : "tok-" + i;
          String cause = i % 2 == 0 ? token : "root-1";
          producer.send(
              new ProducerRecord<>(
                  topic, key("acme", token), encode(notice("acme", token, cause))));
          if (i % 4 == 0) {
            producer.send(new ProducerRecord<>(topic, key("acme", token), null));
          } else {
            expected.add(
                "{\"expires_at\":\"2026-03-01T13:00:00.250Z\",\"revocation_cause\":"
                    + quote(cause)
                    + ",\"revoked_at\":\"2026-03-01T12:00:00.250Z\",\"tenant\":\"acme\",\"token_id\":"
                    + quote(token)
                    + "}");
          }
        }
        producer.send(
            new ProducerRecord<>(
                topic, key("globex", "g-1"), encode(notice("globex", "g-1", "g-1"))));
      }
      // Transaction markers take offsets: the example must still see the end of each partition.
      try (KafkaProducer<byte[], byte[]> tx =
          RevocationFixtures.producer(kafka.clientSettings(), Optional.of("py-tx"))) {
        tx.initTransactions();
        tx.beginTransaction();
        tx.send(
            new ProducerRecord<>(
                topic, key("acme", "in-tx"), encode(notice("acme", "in-tx", "in-tx"))));
        tx.commitTransaction();
        expected.add(
            "{\"expires_at\":\"2026-03-01T13:00:00.250Z\",\"revocation_cause\":\"in-tx\","
                + "\"revoked_at\":\"2026-03-01T12:00:00.250Z\",\"tenant\":\"acme\",\"token_id\":\"in-tx\"}");
      }

      try (RevocationSource subscriber =
          RevocationSubscriber.kafka(
              RevocationSettings.builder().kafkaClientFile(clientFile).tenant("acme").build())) {
        assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(60)))
            .as("the Java subscriber catches up: %s", subscriber.status())
            .isTrue();
        assertThat(subscriber.status().revocations()).isEqualTo(expected.size());
        assertThat(subscriber.isRevoked("acme", "in-tx")).isTrue();
      }

      assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 is missing");
      assumeTrue(
          pythonModulesPresent(),
          "skipped: /usr/bin/python3 lacks confluent_kafka or avro (apt-get install python3-confluent-kafka python3-avro)");
      assertThat(SCRIPT).exists();
      long started = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  PYTHON.toString(),
                  SCRIPT.toString(),
                  "--client-config",
                  clientFile.toString(),
                  "--schema",
                  SCHEMA.toString(),
                  "--tenant",
                  "acme",
                  "--timeout",
                  "60")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the example finishes").isTrue();
      System.out.printf("python example took %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(p.exitValue()).as("exit status; output:\n" + out).isZero();
      List<String> lines = out.lines().toList();
      assertThat(lines.getLast())
          .isEqualTo("{\"caught_up\": true, \"revocations\": " + expected.size() + "}");
      assertThat(lines.subList(0, lines.size() - 1)).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}

package dev.ledger.revocation;

import static dev.ledger.revocation.RevocationFixtures.encode;
import static dev.ledger.revocation.RevocationFixtures.key;
import static dev.ledger.revocation.RevocationFixtures.notice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.broker.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A broker restart in the middle: the source keeps answering, reconnects and misses nothing. */
class KafkaRevocationRestartIT {

  private static final String TOPIC = "rev-restart";

  private static void produce(String bootstrap, int from, int to) {
    try (KafkaProducer<byte[], byte[]> producer =
        RevocationFixtures.producer(bootstrap, Optional.empty())) {
      for (int i = from; i < to; i++) {
        producer.send(
            new ProducerRecord<>(
                TOPIC, key("acme", "tok-" + i), encode(notice("acme", "tok-" + i, "tok-" + i))));
      }
      // Forget every tenth token of this batch.
      for (int i = from; i < to; i += 10) {
        producer.send(new ProducerRecord<>(TOPIC, key("acme", "tok-" + i), null));
      }
      producer.flush();
    }
  }

  @Test
  void survivesABrokerRestartWithoutLosingNotices() throws Exception {
    Path dir = Files.createTempDirectory("ledger-revocation-restart");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    int port = kafka.port();
    try {
      RevocationFixtures.createTopic(kafka.bootstrapServers(), TOPIC, 4);
      produce(kafka.bootstrapServers(), 0, 1000);
      RevocationSettings settings =
          RevocationSettings.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .topic(TOPIC)
              .partitionRecheck(Duration.ofMillis(300))
              .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
              .consumerConfig("reconnect.backoff.max.ms", "200")
              .build();
      try (RevocationSource source = RevocationSubscriber.kafka(settings)) {
        assertThat(source.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(source.status().revocations()).isEqualTo(900);

        kafka.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> !source.status().connected());
        assertThat(source.status().lastError()).isNotNull();
        assertThat(source.isRevoked("acme", "tok-1"))
            .as("answers from memory while the broker is down")
            .isTrue();
        assertThat(source.isCaughtUp()).isTrue();

        kafka = EmbeddedKafka.start(dir, port);
        produce(kafka.bootstrapServers(), 1000, 1500);
        await().atMost(Duration.ofSeconds(30)).until(() -> source.status().revocations() == 1350);
        for (int i = 0; i < 1500; i++) {
          assertThat(source.isRevoked("acme", "tok-" + i)).as("tok-" + i).isEqualTo(i % 10 != 0);
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> source.status().connected() && source.lag() == 0);
        assertThat(source.status().lastError()).isNull();
      }
    } finally {
      kafka.close();
    }
  }
}

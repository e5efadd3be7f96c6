package dev.ledger.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  @Test
  void createsTopicsWithTheirPoliciesAndKeepsDataAcrossRestart() throws Exception {
    Path dir = Files.createTempDirectory("ledger-kafka-restart");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      assertThat(TopicAdmin.ensureTopics(kafka.clientSettings(), 4, (short) 1))
          .hasSize(Topics.all().size());
      assertThat(TopicAdmin.ensureTopics(kafka.clientSettings(), 4, (short) 1)).isEmpty();
      try (Admin admin =
          Admin.create(
              Map.<String, Object>of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get()).containsAll(TestKafka.topicNames());
        for (Topic<?, ?> topic : Topics.all()) {
          ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
          Config config =
              admin.describeConfigs(Set.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
          assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
              .as(topic.name())
              .isEqualTo(topic.config().get(TopicConfig.CLEANUP_POLICY_CONFIG));
          assertThat(
                  admin
                      .describeTopics(Set.of(topic.name()))
                      .allTopicNames()
                      .get()
                      .get(topic.name())
                      .partitions())
              .hasSize(4);
        }
      }
      // A plain record: what survives the restart is the broker's business, not the schemas'.
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "acme/tok-root", "ev-1")).get();
      }
    }
    try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0)) {
      var records =
          TestKafka.readAll(
              again.bootstrapServers(),
              Topics.EVENTS.name(),
              1,
              Duration.ofSeconds(30),
              Duration.ZERO);
      assertThat(records).hasSize(1);
      assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("ev-1");
    }
  }
}

package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.kafka.EmbeddedKafka;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.testkit.TestKafka;
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
      try (KafkaProducer<String, LedgerEvent> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              Topics.EVENTS.keySerde().serializer(),
              Topics.EVENTS.valueSerde().serializer())) {
        producer
            .send(new ProducerRecord<>(Topics.EVENTS.name(), "acme/tok-root", SchemasTest.issued()))
            .get();
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
      assertThat(
              Topics.EVENTS
                  .valueSerde()
                  .deserializer()
                  .deserialize("t", records.get(0).value())
                  .getEventId())
          .isEqualTo("ev-1");
    }
  }
}

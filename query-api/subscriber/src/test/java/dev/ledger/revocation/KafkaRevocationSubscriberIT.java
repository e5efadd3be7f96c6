package dev.ledger.revocation;

import static dev.ledger.revocation.RevocationFixtures.encode;
import static dev.ledger.revocation.RevocationFixtures.key;
import static dev.ledger.revocation.RevocationFixtures.notice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Kafka source on a real broker; each test uses its own topic. */
class KafkaRevocationSubscriberIT {

  private static TestKafka kafka;
  private static String bootstrap;

  @BeforeAll
  static void start() {
    kafka = TestKafka.start(4);
    bootstrap = kafka.bootstrapServers();
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static RevocationSettings.Builder settings(String topic) {
    return RevocationSettings.builder()
        .bootstrapServers(bootstrap)
        .topic(topic)
        .partitionRecheck(Duration.ofMillis(300))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @ParameterizedTest
  @EnumSource(RevocationSettings.Store.class)
  void bootstrapsThousandsOfNoticesAndTombstonesThenFollowsLive(
      RevocationSettings.Store store, @TempDir Path dir) throws Exception {
    String topic = "rev-bootstrap-" + store;
    RevocationFixtures.createTopic(bootstrap, topic, 4);
    int tokens = 5000;
    try (KafkaProducer<byte[], byte[]> producer =
        RevocationFixtures.producer(bootstrap, Optional.empty())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < tokens; i++) {
        String tenant = i % 2 == 0 ? "acme" : "globex";
        String cause = i % 3 == 0 ? "tok-" + i : "root-" + (i / 10);
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, key(tenant, "tok-" + i), encode(notice(tenant, "tok-" + i, cause)))));
      }
      for (int i = 0; i < tokens; i += 5) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, key(i % 2 == 0 ? "acme" : "globex", "tok-" + i), null)));
      }
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic, "no-slash".getBytes(), encode(notice("acme", "x", "x")))));
      sent.add(
          producer.send(new ProducerRecord<>(topic, key("acme", "garbage"), new byte[] {1, 2, 3})));
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(); // the fixture itself must have landed whole, or the assertions below mean nothing
      }
    }
    try (KafkaProducer<byte[], byte[]> tx =
        RevocationFixtures.producer(bootstrap, Optional.of("tx-test"))) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(
          new ProducerRecord<>(
              topic, key("acme", "aborted"), encode(notice("acme", "aborted", "aborted"))));
      tx.abortTransaction();
      tx.beginTransaction();
      tx.send(
          new ProducerRecord<>(
              topic, key("acme", "committed"), encode(notice("acme", "committed", "committed"))));
      tx.commitTransaction();
    }

    List<String> events = Collections.synchronizedList(new ArrayList<>());
    RevocationListener recorder =
        new RevocationListener() {
          @Override
          public void onRevoked(Revocation r) {
            events.add("+" + r.tenant() + "/" + r.tokenId());
          }

          @Override
          public void onForgotten(String tenant, String tokenId) {
            events.add("-" + tenant + "/" + tokenId);
          }
        };
    long started = System.nanoTime();
    RevocationSettings.Builder settings = settings(topic).store(store).listener(recorder);
    if (store == RevocationSettings.Store.ROCKSDB) {
      settings.storeDirectory(dir.resolve("store"));
    }
    try (RevocationSource source = RevocationSubscriber.kafka(settings.build())) {
      if (store == RevocationSettings.Store.ROCKSDB) {
        assertThat(dir.resolve("store/CURRENT"))
            .as("the source keeps its revocations in RocksDB")
            .exists();
      }
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      System.out.printf(
          "%s: bootstrap of %d records: %d ms%n",
          store, tokens * 6 / 5 + 4, (System.nanoTime() - started) / 1_000_000);

      for (int i = 0; i < tokens; i++) {
        String tenant = i % 2 == 0 ? "acme" : "globex";
        assertThat(source.isRevoked(tenant, "tok-" + i)).as("tok-" + i).isEqualTo(i % 5 != 0);
      }
      assertThat(source.isRevoked("globex", "tok-2")).as("a token id of another tenant").isFalse();
      Revocation inherited = source.lookup("globex", "tok-11").orElseThrow();
      assertThat(inherited)
          .isEqualTo(
              new Revocation(
                  "globex",
                  "tok-11",
                  RevocationFixtures.AT,
                  "root-1",
                  RevocationFixtures.AT.plusSeconds(3600)));
      assertThat(source.isRevoked("acme", "aborted")).as("aborted transaction").isFalse();
      assertThat(source.isRevoked("acme", "committed")).isTrue();
      SubscriberStatus status = source.status();
      assertThat(status.revocations()).isEqualTo(tokens - tokens / 5 + 1);
      assertThat(status.skipped()).isEqualTo(2);
      assertThat(status.caughtUp()).isTrue();
      assertThat(events).hasSize(tokens + tokens / 5 + 1);
      assertThat(events).contains("-acme/tok-0", "+acme/committed");
      await().atMost(Duration.ofSeconds(5)).until(() -> source.lag() == 0);

      events.clear();
      long sent;
      try (KafkaProducer<byte[], byte[]> producer =
          RevocationFixtures.producer(bootstrap, Optional.empty())) {
        producer.send(new ProducerRecord<>(topic, key("acme", "tok-2"), null)).get();
        producer
            .send(
                new ProducerRecord<>(
                    topic, key("acme", "live-1"), encode(notice("acme", "live-1", "tok-2"))))
            .get();
        sent = System.nanoTime();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> source.isRevoked("acme", "live-1"));
      System.out.printf(
          "live notice visible %d us after the send was acknowledged%n",
          (System.nanoTime() - sent) / 1000);
      assertThat(source.isRevoked("acme", "tok-2")).isFalse();
      assertThat(events).containsExactly("-acme/tok-2", "+acme/live-1");
    }
  }

  @Test
  void picksUpPartitionsAddedToTheTopic() throws Exception {
    String topic = "rev-grow";
    RevocationFixtures.createTopic(bootstrap, topic, 2);
    try (RevocationSource source = RevocationSubscriber.kafka(settings(topic).build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(30)))
          .as("an empty topic is caught up at once")
          .isTrue();
      assertThat(source.isRevoked("acme", "a")).isFalse();
      try (Admin admin =
          Admin.create(
              Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .createPartitions(Map.of(topic, NewPartitions.increaseTo(4)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<byte[], byte[]> producer =
          RevocationFixtures.producer(bootstrap, Optional.empty())) {
        producer
            .send(
                new ProducerRecord<>(topic, 3, key("acme", "a"), encode(notice("acme", "a", "a"))))
            .get();
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> source.isRevoked("acme", "a"));
    }
  }

  @Test
  void failsClosedAndSaysWhyWhileTheTopicCannotBeRead() throws Exception {
    try (RevocationSource source = RevocationSubscriber.kafka(settings("no-such-topic").build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(2))).isFalse();
      assertThat(source.isRevoked("acme", "anything")).isTrue();
      assertThat(source.lookup("acme", "anything")).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> source.status().lastError() != null);
      assertThat(source.status().lastError()).contains("no-such-topic");
      assertThat(source.lag()).isEqualTo(-1);
    }
    RevocationSettings open = settings("no-such-topic").failClosed(false).build();
    try (RevocationSource source = RevocationSubscriber.kafka(open)) {
      assertThat(source.isRevoked("acme", "anything")).isFalse();
    }
  }

  @Test
  void followsOneTenantOnly() throws Exception {
    String topic = "rev-tenant";
    RevocationFixtures.createTopic(bootstrap, topic, 4);
    try (KafkaProducer<byte[], byte[]> producer =
        RevocationFixtures.producer(bootstrap, Optional.empty())) {
      producer.send(
          new ProducerRecord<>(topic, key("acme", "a"), encode(notice("acme", "a", "a"))));
      producer.send(
          new ProducerRecord<>(topic, key("globex", "a"), encode(notice("globex", "a", "a"))));
    }
    try (RevocationSource source =
        RevocationSubscriber.kafka(settings(topic).tenant("acme").build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      assertThat(source.isRevoked("acme", "a")).isTrue();
      assertThat(source.status().revocations()).isEqualTo(1);
    }
  }
}

package dev.ledger.revocation;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Notices, topics and producers for the revocation tests. */
final class RevocationFixtures {

  static final Instant AT = Instant.parse("2026-03-01T12:00:00.250Z");

  private RevocationFixtures() {}

  /** A notice as the ledger writes it; the cause is the token itself unless given. */
  static RevocationNotice notice(String tenant, String tokenId, String cause) {
    return RevocationNotice.newBuilder()
        .setTenant(tenant)
        .setTokenId(tokenId)
        .setRootId(cause)
        .setRevokedAt(AT)
        .setRevocationCause(cause)
        .setReason("leaked")
        .setRevokedBy("sec-team")
        .setExpiresAt(AT.plusSeconds(3600))
        .setPrincipal("alice")
        .setDepth(cause.equals(tokenId) ? 0 : 1)
        .setEventId("ev-" + tokenId)
        .setNotifiedAt(AT.plusMillis(5))
        .build();
  }

  static byte[] encode(RevocationNotice notice) {
    return Topics.REVOCATIONS
        .valueSerde()
        .serializer()
        .serialize(Topics.REVOCATIONS.name(), notice);
  }

  static byte[] key(String tenant, String tokenId) {
    return (tenant + "/" + tokenId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A raw producer, so tests can write tombstones and garbage as well as notices. */
  static KafkaProducer<byte[], byte[]> producer(
      String bootstrap, Optional<String> transactionalId) {
    return producer(KafkaClientSettings.plaintext(bootstrap), transactionalId);
  }

  /** The same for a broker that wants a login. */
  static KafkaProducer<byte[], byte[]> producer(
      KafkaClientSettings kafka, Optional<String> transactionalId) {
    Map<String, Object> config = kafka.config();
    config.putAll(
        Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
            // A loaded CI machine can stall the broker for many seconds: wait rather than time out,
            // and keep one request in flight so a retry never reorders the fixture's records.
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000"));
    transactionalId.ifPresent(id -> config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates a compacted topic like ledger.revocations. */
  static void createTopic(String bootstrap, String name, int partitions) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(name, partitions, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}

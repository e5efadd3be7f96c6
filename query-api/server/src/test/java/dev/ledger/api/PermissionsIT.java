package dev.ledger.api;

import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.CreatedKey;
import dev.ledger.api.auth.JwtKeyStore;
import dev.ledger.api.auth.KeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.testkit.TestKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permission model at {@code POST /v1/events} and the read routes, on a real server with a real
 * broker: each event type needs its own permission, a refused event refuses the whole batch, and
 * every event written carries the id of the credential that submitted it ({@code
 * ledger.submitted_by}), for API keys and JWTs alike.
 */
class PermissionsIT {
  private static final String ISSUER = "https://as.example";

  @TempDir static Path dir;
  static TestKafka kafka;
  static IngestService ingest;
  static LedgerIndex index;
  static ApiKeyStore keys;
  static RSAKey signing;
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(2);
    ingest = new IngestService(KafkaEventPublisher.create(kafka.bootstrapServers(), Map.of()));
    keys = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    JwtKeyStore jwts =
        new JwtKeyStore(new ImmutableJWKSet<>(new JWKSet(signing.toPublicJWK())), ISSUER, "ledger");
    index = LedgerIndex.open(dir.resolve("index"));
    api =
        TestApi.start(
            new ApiContext(KeyStore.anyOf(keys, jwts), ingest, index, null, List.of(), null));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable open : List.<AutoCloseable>of(api, ingest, index, kafka)) {
      open.close();
    }
  }

  static String use(String eventId, String tenant, String tokenId) {
    return "{\"event_id\":\""
        + eventId
        + "\",\"type\":\"token.used\",\"occurred_at\":\"2026-11-20T09:00:00Z\","
        + "\"tenant\":\""
        + tenant
        + "\",\"use\":{\"token_id\":\""
        + tokenId
        + "\",\"resource\":\"https://api\","
        + "\"action\":\"GET /fares\",\"outcome\":\"allowed\"}}";
  }

  static String revoked(String eventId, String tenant, String tokenId) {
    return "{\"event_id\":\""
        + eventId
        + "\",\"type\":\"token.revoked\",\"occurred_at\":\"2026-11-20T09:01:00Z\","
        + "\"tenant\":\""
        + tenant
        + "\",\"revocation\":{\"token_id\":\""
        + tokenId
        + "\"}}";
  }

  @Test
  void aResourceServerKeyReportsUsesButARevocationIs403AndNothingOfItsBatchIsWritten() {
    CreatedKey rs = keys.create(Role.resource_server, "acme", "fares api");

    HttpResponse<String> uses =
        api.post(
            "/v1/events",
            rs.secret(),
            "application/x-ndjson",
            use("rs-1", "acme", "tok-a") + "\n" + use("rs-2", "acme", "tok-a"));
    assertThat(uses.statusCode()).as(uses.body()).isEqualTo(202);

    HttpResponse<String> revocation =
        api.post(
            "/v1/events",
            rs.secret(),
            "application/json",
            "[" + use("rs-3", "acme", "tok-a") + "," + revoked("rs-4", "acme", "tok-a") + "]");
    JsonNode error = TestApi.assertError(revocation, 403, "forbidden");
    assertThat(error.get("details")).hasSize(1);
    assertThat(error.at("/details/0/index").asInt()).isEqualTo(1);
    assertThat(error.at("/details/0/field").asText()).isEqualTo("type");
    assertThat(error.at("/details/0/reason").asText()).contains("token.revoked", "events:revoke");

    // Reads: revocations yes, the audit trail no.
    assertThat(api.get("/v1/revocations", rs.secret()).statusCode()).isEqualTo(200);
    assertThat(
            TestApi.assertError(api.get("/v1/audit", rs.secret()), 403, "forbidden")
                .get("message")
                .asText())
        .contains("read:audit");
    TestApi.assertError(api.get("/v1/tokens/tok-a", rs.secret()), 403, "forbidden");

    List<ConsumerRecord<byte[], byte[]>> written = eventsOfTenant("acme", 2);
    assertThat(written)
        .extracting(r -> decode(r).getEventId())
        .containsExactlyInAnyOrder("rs-1", "rs-2");
    assertThat(written).extracting(PermissionsIT::submittedBy).containsOnly(rs.keyId());
  }

  @Test
  void aJwtWithAPermissionsClaimMayDoExactlyThatAndIsRecordedAsItsSubject() throws Exception {
    String jwt = jwt("gateway-7", "globex", "events:use read:revocations");

    HttpResponse<String> accepted =
        api.post(
            "/v1/events", jwt, "application/json", "[" + use("jwt-1", "globex", "tok-g") + "]");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    TestApi.assertError(
        api.post(
            "/v1/events", jwt, "application/json", "[" + revoked("jwt-2", "globex", "tok-g") + "]"),
        403,
        "forbidden");
    TestApi.assertError(api.get("/v1/audit", jwt), 403, "forbidden");
    assertThat(api.get("/v1/revocations", jwt).statusCode()).isEqualTo(200);

    String reader = jwt("dashboard", "globex", "read:audit");
    TestApi.assertError(
        api.post(
            "/v1/events", reader, "application/json", "[" + use("jwt-3", "globex", "tok-g") + "]"),
        403,
        "forbidden");
    assertThat(api.get("/v1/audit", reader).statusCode()).isEqualTo(200);

    List<ConsumerRecord<byte[], byte[]>> written = eventsOfTenant("globex", 1);
    assertThat(written)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(decode(r).getEventId()).isEqualTo("jwt-1");
              assertThat(submittedBy(r)).isEqualTo("jwt:gateway-7");
            });
  }

  @Test
  void aProducerKeyStillWritesEveryEventType() {
    CreatedKey producer = keys.create(Role.producer, "initech", null);
    HttpResponse<String> both =
        api.post(
            "/v1/events",
            producer.secret(),
            "application/x-ndjson",
            use("p-1", "initech", "tok-i") + "\n" + revoked("p-2", "initech", "tok-i"));
    assertThat(both.statusCode()).as(both.body()).isEqualTo(202);
    assertThat(json(both).get("accepted").asInt()).isEqualTo(2);
    assertThat(eventsOfTenant("initech", 2))
        .extracting(PermissionsIT::submittedBy)
        .containsOnly(producer.keyId());
  }

  private static String jwt(String subject, String tenant, String permissions) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience("ledger")
            .subject(subject)
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("tenant", tenant)
            .claim("permissions", permissions)
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(signing.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(signing));
    return jwt.serialize();
  }

  /**
   * The records of one tenant on ledger.events, once {@code expected} are there and a second passed
   * without more.
   */
  private static List<ConsumerRecord<byte[], byte[]>> eventsOfTenant(String tenant, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(TestKafka.consumerProps(kafka.bootstrapServers()))) {
      consumer.subscribe(List.of(Topics.EVENTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long settled = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settled)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (new String(r.key(), StandardCharsets.UTF_8).startsWith(tenant + "/")) {
            out.add(r);
          }
        }
        if (out.size() >= expected && settled == Long.MAX_VALUE) {
          settled = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        }
      }
    }
    return out;
  }

  private static LedgerEvent decode(ConsumerRecord<byte[], byte[]> record) {
    return Topics.EVENTS
        .valueSerde()
        .deserializer()
        .deserialize(Topics.EVENTS.name(), record.value());
  }

  private static String submittedBy(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(Topics.EVENTS_HEADER_SUBMITTED_BY);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}

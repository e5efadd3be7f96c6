package dev.ledger.ops.pointintime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.index.AuthorityFilter;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.PageRequest;
import dev.ledger.index.PointInTime;
import dev.ledger.index.TenantScope;
import dev.ledger.ingest.EventJson;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.testkit.Examples;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point in time end to end without a broker: events through the real topology (TopologyTestDriver),
 * everything it writes into a real index, then the questions of issue 19. The contract example is
 * written straight to Kafka at 09:05 (so its record time is its Kafka timestamp); a second tree,
 * the courier's, is revoked at 09:00:20 but the ledger hears of that only at 09:10.
 */
class PointInTimeTopologyTest {

  static final Instant POSTED = Instant.parse("2026-11-20T09:05:00Z");
  static final Instant LATE = Instant.parse("2026-11-20T09:10:00Z");
  static final Instant JUDGED = Instant.parse("2026-11-20T09:11:00Z");

  @TempDir Path dir;
  TopologyTestDriver driver;
  LedgerIndex index;

  static Instant t(String hms) {
    return Instant.parse("2026-11-20T" + hms + "Z");
  }

  @BeforeEach
  void run() throws Exception {
    StreamsSettings settings =
        StreamsSettings.builder("unused:9092")
            .applicationId("pit-test")
            .exactlyOnce(false)
            .stateDir(dir.resolve("state"))
            .override(LedgerTopology.STORE_TYPE_OVERRIDE, "in_memory")
            .build();
    // The stream processor reads all of it at 09:11 (its wall clock: when amendments are
    // re-judged).
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings), JUDGED);
    TestInputTopic<String, LedgerEvent> events =
        driver.createInputTopic(
            Topics.EVENTS.name(),
            Serdes.String().serializer(),
            Topics.EVENTS.valueSerde().serializer());
    List<LedgerEvent> quickstart = new ArrayList<>();
    for (String line : Examples.quickstartNdjson().strip().split("\n")) {
      quickstart.add(EventJson.parse(line, null));
    }
    for (LedgerEvent e : quickstart) {
      events.pipeInput(new TestRecord<>(key(e), e, new RecordHeaders(), POSTED));
    }
    String courier =
        "{\"event_id\":\"c-1\",\"type\":\"token.issued\",\"occurred_at\":\"2026-11-20T09:00:00Z\","
            + "\"tenant\":\"acme\",\"token\":{\"token_id\":\"tok-courier\",\"issuer\":\"https://auth.acme.example\","
            + "\"subject\":\"user:erin\",\"actor\":\"agent:courier\",\"audience\":[\"https://api.parcels.example\"],"
            + "\"scopes\":[\"parcels:send\"],\"expires_at\":\"2026-11-20T09:40:00Z\"}}";
    String used =
        "{\"event_id\":\"c-2\",\"type\":\"token.used\",\"occurred_at\":\"2026-11-20T09:00:30Z\","
            + "\"tenant\":\"acme\",\"use\":{\"token_id\":\"tok-courier\",\"resource\":\"https://api.parcels.example\","
            + "\"action\":\"POST /parcels\",\"outcome\":\"allowed\"}}";
    String revoked =
        "{\"event_id\":\"c-3\",\"type\":\"token.revoked\",\"occurred_at\":\"2026-11-20T09:00:20Z\","
            + "\"tenant\":\"acme\",\"revocation\":{\"token_id\":\"tok-courier\"}}";
    // Posted through the API: received_at stamped at ingest.
    for (String json : List.of(courier, used)) {
      LedgerEvent e = EventJson.parse(json, POSTED);
      events.pipeInput(new TestRecord<>(key(e), e, new RecordHeaders(), POSTED.plusSeconds(3600)));
    }
    LedgerEvent late = EventJson.parse(revoked, LATE);
    events.pipeInput(new TestRecord<>(key(late), late, new RecordHeaders(), LATE));

    index = LedgerIndex.open(dir.resolve("index"));
    driver
        .createOutputTopic(
            Topics.TOKENS.name(),
            Serdes.String().deserializer(),
            Topics.TOKENS.valueSerde().deserializer())
        .readValuesToList()
        .forEach(this::putToken);
    List<AuditRecord> amendments = new ArrayList<>();
    for (AuditRecord r :
        driver
            .createOutputTopic(
                Topics.AUDIT.name(),
                Serdes.String().deserializer(),
                Topics.AUDIT.valueSerde().deserializer())
            .readValuesToList()) {
      if (r.getAmends() == null) {
        index.putAudit(r);
      } else {
        amendments.add(r);
      }
    }
    index.amendAudits(amendments);
    index.awaitSearchable();
  }

  private void putToken(TokenNode t) {
    try {
      index.putToken(t);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void close() {
    index.close();
    driver.close();
  }

  static String key(LedgerEvent e) {
    String token =
        e.getToken() != null
            ? e.getToken().getTokenId()
            : e.getUse() != null ? e.getUse().getTokenId() : e.getRevocation().getTokenId();
    return LedgerKey.of(e.getTenant(), token).toString();
  }

  Optional<TokenNode> at(String token, Instant at, Instant knownAt) {
    return index.tokenAt("acme", token, new PointInTime(at, knownAt));
  }

  TokenNode lhr(String hms) {
    return at("tok-flights-lhr", t(hms), null).orElseThrow();
  }

  List<String> authority(String actor, Instant at, Instant knownAt) throws Exception {
    return index
        .authority(
            TenantScope.of("acme"),
            new AuthorityFilter(actor, null, null, null, new PointInTime(at, knownAt)),
            PageRequest.first(100))
        .items()
        .stream()
        .map(TokenNode::getTokenId)
        .toList();
  }

  @Test
  void theContractExample() throws Exception {
    TokenNode before = lhr("09:00:08");
    assertThat(before.getStatus()).isEqualTo(TokenStatus.active);
    assertThat(before.getUses()).isZero();
    TokenNode used = lhr("09:00:10");
    assertThat(used.getStatus()).isEqualTo(TokenStatus.active);
    assertThat(used.getUses()).isEqualTo(1);
    TokenNode revoked = lhr("09:01:30");
    assertThat(revoked.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(revoked.getRevocationCause()).isEqualTo("tok-flights");
    assertThat(revoked.getRevokedAt()).isEqualTo(t("09:01:00"));
    // Now: what GET /v1/tokens/{id} says, from the same records.
    TokenNode now = index.token("acme", "tok-flights-lhr").orElseThrow();
    TokenNode later = lhr("09:59:00");
    assertThat(later.getStatus()).isEqualTo(now.getStatus());
    assertThat(later.getUses()).isEqualTo(now.getUses());
    assertThat(later.getViolations()).isEqualTo(now.getViolations());
    assertThat(later.getRevocationCause()).isEqualTo(now.getRevocationCause());

    List<TokenNode> items =
        index
            .authority(
                TenantScope.of("acme"),
                new AuthorityFilter(
                    "agent:fare-scraper", null, null, null, PointInTime.at(t("09:00:10"))),
                PageRequest.first(10))
            .items();
    assertThat(items).extracting(TokenNode::getTokenId).containsExactly("tok-flights-lhr");
    assertThat(items.getFirst().getPrincipal()).isEqualTo("user:dana");
    assertThat(authority("agent:fare-scraper", t("09:01:30"), null)).isEmpty();
  }

  @Test
  void justBeforeAtAndAfterIssuance() {
    assertThat(at("tok-flights-lhr", t("09:00:07").minusMillis(1), null)).isEmpty();
    assertThat(lhr("09:00:07").getStatus()).isEqualTo(TokenStatus.active);
    assertThat(lhr("09:00:07").getRecordedAt()).isEqualTo(POSTED);
    assertThat(lhr("09:00:08").getStatus()).isEqualTo(TokenStatus.active);
    // Not yet recorded at 09:04: the ledger did not know it then.
    assertThat(at("tok-flights-lhr", t("09:00:08"), t("09:04:00"))).isEmpty();
  }

  @Test
  void anAncestorsRevocationAndExpiry() {
    assertThat(lhr("09:00:59").getStatus()).isEqualTo(TokenStatus.active);
    assertThat(lhr("09:01:00").getStatus()).isEqualTo(TokenStatus.revoked);
    TokenNode root = at("tok-root", t("10:00:00"), null).orElseThrow();
    assertThat(root.getStatus()).isEqualTo(TokenStatus.active);
    assertThat(at("tok-root", t("10:00:01"), null).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.expired);
  }

  @Test
  void aLateRevocationKnownAtBeforeAndAfterItArrived() throws Exception {
    Instant at = t("09:00:25");
    assertThat(at("tok-courier", at, LATE.minusMillis(1)).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.active);
    TokenNode known = at("tok-courier", at, LATE).orElseThrow();
    assertThat(known.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(known.getRevokedAt()).isEqualTo(t("09:00:20"));
    assertThat(at("tok-courier", at, null).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.revoked);
    assertThat(authority("agent:courier", at, LATE.minusMillis(1))).containsExactly("tok-courier");
    assertThat(authority("agent:courier", at, LATE)).isEmpty();
    // The use at 09:00:30 came after the revocation: judged so once the revocation arrived (an
    // amendment).
    assertThat(at("tok-courier", t("09:00:30"), null).orElseThrow().getViolations())
        .extracting(Enum::name)
        .containsExactly("use_after_revocation");
    // As known before the revocation arrived, the use was fine; the verdict changed when the ledger
    // re-judged it.
    assertThat(at("tok-courier", t("09:00:30"), LATE.minusMillis(1)).orElseThrow().getViolations())
        .isEmpty();
    assertThat(at("tok-courier", t("09:00:30"), JUDGED).orElseThrow().getViolations()).hasSize(1);
  }
}

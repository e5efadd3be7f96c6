package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.UseBody;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.schemas.serde.AvroSerde;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SchemasTest {

  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
  static final List<Hop> CHAIN =
      List.of(
          new Hop("tok-root", "agent:planner", Via.issued),
          new Hop("tok-child", "agent:searcher", Via.exchanged));

  static LedgerEvent issued() {
    return LedgerEvent.newBuilder()
        .setEventId("ev-1")
        .setType("token.issued")
        .setOccurredAt(T0)
        .setTenant("acme")
        .setToken(
            TokenBody.newBuilder()
                .setTokenId("tok-root")
                .setIssuer("https://as")
                .setSubject("user:dana")
                .setActor("agent:planner")
                .setAudience(List.of("https://api"))
                .setScopes(List.of("a", "b"))
                .setExpiresAt(T0.plusSeconds(3600))
                .setAttributes(Map.of("agent_model", "m"))
                .build())
        .build();
  }

  static LedgerEvent used() {
    return LedgerEvent.newBuilder()
        .setEventId("ev-2")
        .setType("token.used")
        .setOccurredAt(T0)
        .setTenant("acme")
        .setUse(
            UseBody.newBuilder()
                .setTokenId("tok-root")
                .setResource("https://api")
                .setAction("GET /x")
                .setOutcome(Outcome.allowed)
                .build())
        .build();
  }

  static List<SpecificRecord> samples() {
    TokenNode node =
        TokenNode.newBuilder()
            .setTokenId("tok-child")
            .setTenant("acme")
            .setParentId("tok-root")
            .setRootId("tok-root")
            .setDepth(1)
            .setPrincipal("user:dana")
            .setActor("agent:searcher")
            .setChain(CHAIN)
            .setScopes(List.of("a"))
            .setAudience(List.of("https://api"))
            .setStatus(TokenStatus.revoked)
            .setRevokedAt(T0)
            .setRevocationCause("tok-root")
            .setViolations(List.of(ViolationKind.escalation))
            .setVia(Via.exchanged)
            .build();
    AuditRecord audit =
        AuditRecord.newBuilder()
            .setEventId("ev-2")
            .setType("token.used")
            .setOccurredAt(T0)
            .setTenant("acme")
            .setTokenId("tok-child")
            .setPrincipal("user:dana")
            .setActor("agent:searcher")
            .setChain(CHAIN)
            .setResource("https://api")
            .setAction("GET /x")
            .setOutcome(Outcome.allowed)
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .build();
    RevocationNotice notice =
        RevocationNotice.newBuilder()
            .setTenant("acme")
            .setTokenId("tok-child")
            .setRootId("tok-root")
            .setRevokedAt(T0)
            .setRevocationCause("tok-root")
            .build();
    Alert alert =
        Alert.newBuilder()
            .setAlertId("ev-2/tok-child/escalation")
            .setKind(ViolationKind.escalation)
            .setTenant("acme")
            .setTokenId("tok-child")
            .setOccurredAt(T0)
            .setChain(CHAIN)
            .setMessage("m")
            .build();
    return List.of(issued(), used(), node, audit, notice, alert);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @TestFactory
  Stream<DynamicTest> everyRecordRoundTripsInSingleObjectEncoding() {
    return samples().stream()
        .map(
            record ->
                DynamicTest.dynamicTest(
                    record.getClass().getSimpleName(),
                    () -> {
                      AvroSerde serde = AvroSerde.of(record.getClass());
                      byte[] bytes = serde.encode(record);
                      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
                      assertThat(bytes[1]).isEqualTo((byte) 0x01);
                      assertThat(serde.decode(bytes)).isEqualTo(record);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> anAvscFileAloneDecodesTheBytes() {
    return samples().stream()
        .map(
            record ->
                DynamicTest.dynamicTest(
                    record.getClass().getSimpleName(),
                    () -> {
                      Schema schema =
                          new Schema.Parser()
                              .parse(
                                  new File(
                                      "src/main/avro/"
                                          + record.getClass().getSimpleName()
                                          + ".avsc"));
                      @SuppressWarnings({"unchecked", "rawtypes"})
                      byte[] bytes = ((AvroSerde) AvroSerde.of(record.getClass())).encode(record);
                      // Single-object encoding: 2-byte marker, 8-byte little-endian CRC-64-AVRO
                      // fingerprint, body.
                      long fingerprint =
                          ByteBuffer.wrap(bytes, 2, 8)
                              .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                              .getLong();
                      assertThat(fingerprint)
                          .isEqualTo(
                              org.apache.avro.SchemaNormalization.parsingFingerprint64(schema));
                      GenericRecord generic =
                          new GenericDatumReader<GenericRecord>(schema, schema, new GenericData())
                              .read(
                                  null,
                                  DecoderFactory.get()
                                      .binaryDecoder(bytes, 10, bytes.length - 10, null));
                      assertThat(generic.get(0).toString()).isEqualTo(record.get(0).toString());
                    }));
  }

  @Test
  void garbageIsASerializationExceptionNotACrash() {
    AvroSerde<LedgerEvent> serde = AvroSerde.of(LedgerEvent.class);
    assertThatThrownBy(() -> serde.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class);
    assertThat(serde.decode(null)).isNull();
    assertThat(serde.encode(null)).isNull();
  }

  /**
   * Each committed version under schemas/history must stay readable by, and read, the current one.
   */
  @TestFactory
  Stream<DynamicTest> currentSchemasStayCompatibleWithHistory() throws Exception {
    Path history = Path.of("history");
    try (Stream<Path> files = Files.walk(history)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList().stream()
          .map(
              old ->
                  DynamicTest.dynamicTest(
                      history.relativize(old).toString(),
                      () -> {
                        Schema before = new Schema.Parser().parse(old.toFile());
                        Schema now =
                            new Schema.Parser()
                                .parse(new File("src/main/avro/" + old.getFileName()));
                        assertThat(
                                SchemaCompatibility.checkReaderWriterCompatibility(now, before)
                                    .getType())
                            .as("current reads %s", old)
                            .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                        assertThat(
                                SchemaCompatibility.checkReaderWriterCompatibility(before, now)
                                    .getType())
                            .as("%s reads current", old)
                            .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                      }));
    }
  }

  @Test
  void keysCarryTheTenant() {
    assertThat(LedgerKey.of("acme", "tok/1").toString()).isEqualTo("acme/tok/1");
    assertThat(LedgerKey.parse("acme/tok/1")).isEqualTo(new LedgerKey("acme", "tok/1"));
    assertThatThrownBy(() -> LedgerKey.parse("nokey")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerKey.of("a/b", "t")).isInstanceOf(IllegalArgumentException.class);
  }
}

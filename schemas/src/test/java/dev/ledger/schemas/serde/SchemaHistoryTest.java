package dev.ledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  @Test
  void theVersionsAreTheFoldersThatHoldSchemas() throws Exception {
    try (Stream<Path> dirs = Files.list(Path.of("history"))) {
      List<String> withSchemas =
          dirs.filter(
                  d -> {
                    try (Stream<Path> files = Files.list(d)) {
                      return files.anyMatch(f -> f.toString().endsWith(".avsc"));
                    } catch (Exception e) {
                      return false;
                    }
                  })
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
      assertThat(SchemaHistory.VERSIONS).containsExactlyElementsOf(withSchemas);
    }
  }

  @Test
  void anAuditRecordWrittenUnderV1StillDecodes() throws Exception {
    AuditRecord now =
        AuditRecord.newBuilder()
            .setEventId("ev-1")
            .setType("token.used")
            .setOccurredAt(Instant.EPOCH)
            .setTenant("acme")
            .setTokenId("tok-1")
            .setPrincipal("user:dana")
            .setActor("agent:a")
            .setChain(List.of(new Hop("tok-1", "agent:a", Via.issued)))
            .setOutcome(Outcome.allowed)
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .setSubmittedBy("key-1")
            .build();
    Schema v1 = SchemaHistory.of("AuditRecord").getFirst();
    assertThat(v1.getField("submitted_by")).isNull();

    // The same record as a v1 producer wrote it: its bytes, under v1's fingerprint.
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(body, null);
    new SpecificDatumWriter<AuditRecord>(AuditRecord.getClassSchema()).write(now, enc);
    enc.flush();
    GenericRecord asV1 =
        new GenericDatumReader<GenericRecord>(AuditRecord.getClassSchema(), v1)
            .read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
    ByteBuffer written =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(asV1);
    byte[] bytes = new byte[written.remaining()];
    written.get(bytes);

    AuditRecord read = AvroSerde.of(AuditRecord.class).decode(bytes);
    assertThat(read.getEventId()).isEqualTo("ev-1");
    assertThat(read.getViolations()).containsExactly(ViolationKind.use_after_revocation);
    assertThat(read.getSubmittedBy()).isNull();
    assertThat(read.getAmends()).isNull();
  }
}

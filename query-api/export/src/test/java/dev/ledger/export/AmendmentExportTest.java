package dev.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.VerificationReport.Kind;
import dev.ledger.export.format.AuditRecordJson;
import dev.ledger.export.format.CanonicalJson;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amendments in the integrity log and the exports: appended as leaves of their own after the record
 * they amend (which stays as first written), caught as duplicates only when the same amendment
 * comes again, carried by NDJSON, CSV and OCSF, and verified like every leaf.
 */
class AmendmentExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NotaryKey KEY = NotaryKey.generate();
  private static final Instant AMENDED = Instant.parse("2026-11-20T10:05:00Z");

  @TempDir static Path dir;
  static AuditRecord original;
  static List<Boolean> appended = new ArrayList<>();

  static AuditRecord amendment(AuditRecord of, ViolationKind kind, String cause) {
    return AuditRecord.newBuilder(of)
        .setViolations(List.of(kind))
        .setAmends(
            AuditAmendment.newBuilder()
                .setAdded(List.of(kind))
                .setRemoved(List.of())
                .setCauseEventId(cause)
                .setCauseTokenId("tok-flights")
                .setAmendedAt(AMENDED)
                .build())
        .build();
  }

  @BeforeAll
  static void fillTheLog() throws IOException {
    original =
        AuditRecord.newBuilder(TestRecords.avro("acme", 3))
            .setViolations(List.of())
            .build(); // an allowed use
    try (IntegrityLog log =
        IntegrityLog.open(dir, KEY, new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1))) {
      appended.add(log.append(TestRecords.avro("acme", 0)));
      appended.add(log.append(original));
      appended.add(
          log.append(amendment(original, ViolationKind.usage_limit_exceeded, "ev-early-use")));
      appended.add(
          log.append(
              amendment(original, ViolationKind.usage_limit_exceeded, "ev-early-use"))); // a replay
      appended.add(
          log.append(amendment(original, ViolationKind.use_after_revocation, "ev-revocation")));
      appended.add(log.append(original)); // a replay of the record itself
      log.commit(Map.of());
      log.checkpoint("acme").orElseThrow();
    }
  }

  static String export(String format) throws IOException {
    PreparedExport export =
        new Exporter(dir).prepare(ExportRequest.parse("acme", null, null, format, null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export.writeTo(out, ProgressListener.NONE);
    return out.toString(StandardCharsets.UTF_8);
  }

  static VerificationReport verify(String ndjson) {
    return Verifier.verify(
        new ByteArrayInputStream(ndjson.getBytes(StandardCharsets.UTF_8)),
        KEY.publicKey(),
        null,
        ProgressListener.NONE);
  }

  static List<JsonNode> records(String ndjson) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      JsonNode json = JSON.readTree(line);
      if (json.has("record")) {
        out.add(json.get("record"));
      }
    }
    return out;
  }

  @Test
  void anAmendmentIsALeafOfItsOwnAfterTheRecordWhichStaysAsFirstWritten() throws IOException {
    assertThat(appended)
        .as("each amendment once, no record twice")
        .containsExactly(true, true, true, false, true, false);
    String ndjson = export("ndjson");
    List<JsonNode> records = records(ndjson);
    assertThat(records).hasSize(4);
    assertThat(CanonicalJson.string(records.get(1)))
        .as("the record as first written, hashed as before amendments")
        .isEqualTo(CanonicalJson.string(AuditRecordJson.of(original)));
    assertThat(records.get(1).has("amends")).isFalse();
    JsonNode first = records.get(2);
    assertThat(first.get("event_id").asText()).isEqualTo(original.getEventId());
    assertThat(first.get("violations").toString()).isEqualTo("[\"usage_limit_exceeded\"]");
    assertThat(first.get("amends").get("added").toString()).isEqualTo("[\"usage_limit_exceeded\"]");
    assertThat(first.get("amends").get("removed").toString()).isEqualTo("[]");
    assertThat(first.get("amends").get("cause_event_id").asText()).isEqualTo("ev-early-use");
    assertThat(first.get("amends").get("amended_at").asText()).isEqualTo(AMENDED.toString());
    assertThat(first.get("amends").has("recorded_violations"))
        .as("null on the topic: left out")
        .isFalse();
    assertThat(records.get(3).get("amends").get("cause_event_id").asText())
        .isEqualTo("ev-revocation");

    VerificationReport report = verify(ndjson);
    assertThat(report.ok()).as(report.lines().toString()).isTrue();
    assertThat(report.records()).isEqualTo(4);
    assertThat(report.notes())
        .anySatisfy(n -> assertThat(n).startsWith("2 of the records are amendments"));
  }

  @Test
  void editingAnAmendmentIsCaught() throws IOException {
    String ndjson = export("ndjson");
    String edited = ndjson.replace("\"added\":[\"use_after_revocation\"]", "\"added\":[]");
    assertThat(edited).isNotEqualTo(ndjson);
    assertThat(verify(edited).problems())
        .extracting(VerificationReport.Problem::kind)
        .containsAnyOf(Kind.ROOT, Kind.CHANGED);
    String malformed = ndjson.replace("\"added\":[\"use_after_revocation\"],", "");
    assertThat(verify(malformed).problems())
        .extracting(VerificationReport.Problem::kind)
        .contains(Kind.MALFORMED);
  }

  @Test
  void csvAndOcsfTellAnAmendmentFromTheRecordItAmends() throws IOException {
    List<String> csv = List.of(export("csv").split("\r\n"));
    assertThat(csv.get(0)).endsWith(",attributes,amends");
    assertThat(csv.get(2)).as("the record: amends empty").endsWith(",");
    assertThat(csv.get(3))
        .contains(",usage_limit_exceeded,")
        .contains("\"{\"\"added\"\":[\"\"usage_limit_exceeded\"\"]");

    List<JsonNode> ocsf = new ArrayList<>();
    for (String line : export("ocsf").split("\n")) {
      ocsf.add(JSON.readTree(line));
    }
    String uid = "acme/" + original.getTokenId() + "/" + original.getEventId();
    assertThat(ocsf.get(1).at("/metadata/uid").asText()).isEqualTo(uid);
    assertThat(ocsf.get(1).at("/unmapped/amends").isMissingNode()).isTrue();
    assertThat(ocsf.get(2).at("/metadata/uid").asText()).isEqualTo(uid + "/amends/2");
    assertThat(ocsf.get(2).at("/unmapped/amends_event_id").asText())
        .isEqualTo(original.getEventId());
    assertThat(ocsf.get(2).at("/unmapped/amends/added/0").asText())
        .isEqualTo("usage_limit_exceeded");
    assertThat(ocsf.get(2).at("/severity_id").asInt()).isEqualTo(4);
  }
}

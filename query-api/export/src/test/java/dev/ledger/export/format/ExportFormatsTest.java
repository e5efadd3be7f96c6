package dev.ledger.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import dev.ledger.schemas.avro.AuditRecord;
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

/** OCSF output against OCSF's own schema files of the version it claims, and the CSV layout. */
class ExportFormatsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECORDS = 24;

  @TempDir static Path dir;
  static OcsfSchema schema;

  @BeforeAll
  static void setUp() throws Exception {
    try (IntegrityLog log =
        IntegrityLog.open(
            dir, NotaryKey.generate(), new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1))) {
      for (int i = 0; i < RECORDS; i++) {
        log.append(TestRecords.avro("acme", i));
      }
      ObjectNode bare = TestRecords.json("acme", 99);
      bare.put("type", "token.something_new");
      bare.remove(List.of("principal", "actor", "source"));
      log.append(bare);
      log.commit(Map.of());
      log.checkpoint("acme");
    }
    schema = OcsfSchema.load(OcsfMapper.OCSF_VERSION);
  }

  static String export(String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Exporter(dir)
        .prepare(ExportRequest.parse("acme", null, null, format, null))
        .writeTo(out, ProgressListener.NONE);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyOcsfEventIsValidAgainstTheSchema() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : export("ocsf").split("\n")) {
      events.add(JSON.readTree(line));
    }
    assertThat(events).hasSize(RECORDS + 1);
    for (JsonNode event : events) {
      assertThat(schema.validate(event)).as("%s", event).isEmpty();
      assertThat(event.path("metadata").path("version").asText()).isEqualTo("1.8.0");
    }
    assertThat(events)
        .extracting(e -> e.get("type_uid").asLong())
        .contains(300203L, 300204L, 300399L, 600301L, 600302L);
    JsonNode issued = events.get(0);
    assertThat(issued.get("class_uid").asInt()).isEqualTo(3002);
    assertThat(issued.path("user").path("uid").asText()).isEqualTo("user:dana");
    JsonNode delegation = issued.path("unmapped").path("delegation");
    assertThat(delegation.path("hops")).hasSize(3);
    assertThat(delegation.path("uid").asText())
        .isEqualTo(issued.path("unmapped").path("token_id").asText());
    assertThat(issued.path("metadata").path("uid").asText()).isEqualTo("acme/tok-0/ev-acme-0");
    assertThat(issued.path("unmapped").path("event_id").asText()).isEqualTo("ev-acme-0");
    assertThat(issued.path("unmapped").path("leaf_index").asLong()).isZero();
    JsonNode deniedUse = events.get(3);
    assertThat(deniedUse.get("class_uid").asInt()).isEqualTo(6003);
    assertThat(deniedUse.get("status_id").asInt()).isEqualTo(2);
    assertThat(deniedUse.path("api").path("operation").asText()).isEqualTo("POST /bookings");
    assertThat(deniedUse.get("activity_id").asInt()).isEqualTo(1);
    assertThat(events.get(4).get("severity_id").asInt())
        .as("a violation is high severity")
        .isEqualTo(4);
    for (JsonNode e : events) {
      assertThat(e.get("type_uid").asLong())
          .isEqualTo(e.get("class_uid").asLong() * 100 + e.get("activity_id").asLong());
    }
  }

  @Test
  void theSchemaHasTeeth() throws Exception {
    ObjectNode event = (ObjectNode) JSON.readTree(export("ocsf").split("\n")[3]);
    assertThat(schema.validate(event)).isEmpty();
    ObjectNode noApi = event.deepCopy();
    noApi.remove("api");
    assertThat(schema.validate(noApi)).containsExactly("api is required");
    ObjectNode typo = event.deepCopy();
    typo.put("actr", "x");
    assertThat(schema.validate(typo)).containsExactly("actr is not an attribute here");
    ObjectNode wrongClass = event.deepCopy();
    wrongClass.put("class_uid", 3002);
    assertThat(schema.validate(wrongClass)).isNotEmpty();
    ObjectNode wrongType = event.deepCopy();
    wrongType.put("time", "yesterday");
    assertThat(schema.validate(wrongType))
        .singleElement()
        .asString()
        .startsWith("time must be a timestamp_t");
    ObjectNode unknownEnum = event.deepCopy();
    unknownEnum.put("severity_id", 42);
    assertThat(schema.validate(unknownEnum))
        .singleElement()
        .asString()
        .startsWith("severity_id = 42 is not one of");
    ObjectNode nestedTypo = event.deepCopy();
    ((ObjectNode) nestedTypo.get("metadata")).put("vesion", "1");
    assertThat(schema.validate(nestedTypo))
        .containsExactly("metadata.vesion is not an attribute here");
    ObjectNode free = event.deepCopy();
    ((ObjectNode) free.get("unmapped")).put("anything", "goes");
    assertThat(schema.validate(free)).as("unmapped is free").isEmpty();
  }

  @Test
  void csvHasAHeaderAndQuotesWhatNeedsIt() throws IOException {
    String[] rows = export("csv").split("\r\n");
    assertThat(rows).hasSize(RECORDS + 2);
    assertThat(rows[0]).isEqualTo(String.join(",", CsvFormat.HEADER));
    assertThat(rows[1]).startsWith("0,2026-11-20T10:00:00Z,").contains(",ev-acme-0,token.issued,");
    // Record 5 is a revocation whose reason holds a comma and quotes.
    assertThat(rows[6]).contains(",\"agent misbehaving, \"\"quoted\"\"\",");
    assertThat(rows[5]).contains(",use_after_revocation,");
  }

  @Test
  void csvNeutralizesCellsASpreadsheetWouldEvaluate() {
    ObjectNode record = TestRecords.json("acme", 1);
    record.put("principal", "=HYPERLINK(\"http://evil\",\"x\")");
    record.put("actor", "+1+1");
    record.put("resource", "-2");
    record.put("action", "@SUM(A1)");
    record.put("reason", "\tcmd");
    record.put("source", "\rcmd");
    record.put("request_id", "plain-id=1");
    String row = CsvFormat.row(record, 7, "2026-11-20T10:00:00Z", "abc");
    assertThat(row)
        .contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",")
        .contains(",\"'+1+1\",")
        .contains(",\"'-2\",")
        .contains(",\"'@SUM(A1)\",")
        .contains(",\"'\tcmd\",")
        .contains(",\"'\rcmd\",")
        .contains(",plain-id=1,")
        .startsWith("7,2026-11-20T10:00:00Z,abc,");
  }

  @Test
  void aTransactionsIdsTravelInEveryFormatAndRecordsWithoutThemAreWrittenAsBefore() {
    AuditRecord use =
        AuditRecord.newBuilder(TestRecords.avro("acme", 3))
            .setTxn("txn-42")
            .setActi("wf-checkout")
            .build();
    ObjectNode json = AuditRecordJson.of(use);
    assertThat(json.path("txn").asText()).isEqualTo("txn-42");
    assertThat(json.path("acti").asText()).isEqualTo("wf-checkout");
    ObjectNode ocsf = OcsfMapper.map(json, 7, "2026-11-20T10:00:00Z");
    assertThat(schema.validate(ocsf)).isEmpty();
    assertThat(ocsf.path("unmapped").path("txn").asText()).isEqualTo("txn-42");
    assertThat(ocsf.path("unmapped").path("acti").asText()).isEqualTo("wf-checkout");
    assertThat(CsvFormat.row(json, 7, "2026-11-20T10:00:00Z", "abc"))
        .contains(",req-3,txn-42,wf-checkout,");

    ObjectNode without = TestRecords.json("acme", 3);
    assertThat(without.has("txn")).as("left out, so older leaf hashes do not change").isFalse();
    assertThat(without.has("acti")).isFalse();
    assertThat(OcsfMapper.map(without, 7, "2026-11-20T10:00:00Z").path("unmapped").has("txn"))
        .isFalse();
    assertThat(CsvFormat.row(without, 7, "2026-11-20T10:00:00Z", "abc")).contains(",req-3,,,");
  }

  /**
   * metadata.uid is the event identity (v1.10), so two events that share an event_id (on another
   * token, or of another tenant) get two uids, and ids holding slashes cannot collide (v1.12).
   */
  @Test
  void metadataUidIsUniquePerEventIdentity() {
    ObjectNode record = TestRecords.json("acme", 3);
    ObjectNode otherToken = record.deepCopy().put("token_id", "tok-other");
    ObjectNode otherTenant = record.deepCopy().put("tenant", "globex");
    ObjectNode slashInToken = record.deepCopy().put("token_id", "a/b").put("event_id", "c");
    ObjectNode slashInEvent = record.deepCopy().put("token_id", "a").put("event_id", "b/c");
    List<String> uids = new ArrayList<>();
    for (ObjectNode r : List.of(record, otherToken, otherTenant, slashInToken, slashInEvent)) {
      ObjectNode ocsf = OcsfMapper.map(r, 7, "2026-11-20T10:00:00Z");
      assertThat(schema.validate(ocsf)).isEmpty();
      assertThat(ocsf.path("metadata").path("uid").asText()).isEqualTo(OcsfMapper.uid(r));
      uids.add(OcsfMapper.uid(r));
    }
    assertThat(uids)
        .containsExactly(
            "acme/tok-0/ev-acme-3",
            "acme/tok-other/ev-acme-3",
            "globex/tok-0/ev-acme-3",
            "acme/a%2Fb/c",
            "acme/a/b%2Fc")
        .doesNotHaveDuplicates();
    assertThat(OcsfMapper.uid(record.deepCopy().put("event_id", "50%/x")))
        .isEqualTo("acme/tok-0/50%25%2Fx");
  }
}

package dev.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.VerificationReport.Kind;
import dev.ledger.export.VerificationReport.Problem;
import dev.ledger.export.format.LeafData;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.log.LogReader;
import dev.ledger.export.merkle.Hashes;
import dev.ledger.export.merkle.MerkleProofs;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export then verify, and every kind of tampering the verifier must name. */
class ExportVerifyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NotaryKey KEY = NotaryKey.generate();
  private static final int RECORDS = 100;

  @TempDir static Path dir;
  static Checkpoint at60;
  static Checkpoint latest;

  @BeforeAll
  static void fillTheLog() throws IOException {
    try (IntegrityLog log =
        IntegrityLog.open(dir, KEY, new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1))) {
      for (int i = 0; i < RECORDS; i++) {
        log.append(TestRecords.avro("acme", i));
        log.append(TestRecords.avro("globex", i));
        if (i == 59) {
          log.commit(Map.of());
          at60 = log.checkpoint("acme").orElseThrow();
        }
      }
      log.commit(Map.of());
      latest = log.checkpoint("acme").orElseThrow();
    }
  }

  static String export(String tenant, String from, String to, String format, String previous)
      throws IOException {
    PreparedExport export =
        new Exporter(dir).prepare(ExportRequest.parse(tenant, from, to, format, previous));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(export.writeTo(out, ProgressListener.NONE)).isEqualTo(export.records());
    return out.toString(StandardCharsets.UTF_8);
  }

  static List<String> lines(String text) {
    return new ArrayList<>(List.of(text.split("\n")));
  }

  static VerificationReport verify(List<String> lines, NotaryKey key, Checkpoint previous) {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return Verifier.verify(
        new ByteArrayInputStream(bytes),
        key == null ? null : key.publicKey(),
        previous,
        ProgressListener.NONE);
  }

  static VerificationReport verify(List<String> lines) {
    return verify(lines, KEY, null);
  }

  static List<Kind> kinds(VerificationReport report) {
    return report.problems().stream().map(Problem::kind).distinct().toList();
  }

  @Test
  void anExportVerifies() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    assertThat(lines).hasSize(RECORDS + 2);
    VerificationReport report = verify(lines);
    assertThat(report.problems()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(report.records()).isEqualTo(RECORDS);
    assertThat(report.checkpoint()).isEqualTo(latest);
    assertThat(report.lines().get(0)).startsWith("OK: 100 records of tenant acme");
    assertThat(lines.get(1)).contains("\"leaf_index\":0,").contains("\"event_id\":\"ev-acme-0\"");
  }

  @Test
  void anEditedFieldIsNamedByLine() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    lines.set(16, lines.get(16).replaceFirst("agent:fare-scraper", "agent:someone-else"));
    VerificationReport report = verify(lines);
    assertThat(report.ok()).isFalse();
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains(
            "line 17: record changed: leaf 15 does not hash to its leaf_hash (a field was edited)");
    assertThat(kinds(report)).containsExactly(Kind.CHANGED, Kind.ROOT);
  }

  @Test
  void anEditWithARecomputedLeafHashStillBreaksTheRoot() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    ObjectNode line = (ObjectNode) JSON.readTree(lines.get(30));
    ((ObjectNode) line.get("record")).put("outcome", "allowed");
    ((ObjectNode) line.get("record")).put("action", "DELETE /everything");
    line.put(
        "leaf_hash",
        Hashes.hex(LeafData.hash(line.get("committed_at").asText(), line.get("record"))));
    lines.set(30, JSON.writeValueAsString(line));
    VerificationReport report = verify(lines);
    assertThat(kinds(report)).containsExactly(Kind.ROOT);
    assertThat(report.problems().get(0).message())
        .contains("do not reproduce the checkpoint's root hash");
  }

  @Test
  void aDeletedLineIsAMissingLeaf() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    lines.remove(40);
    VerificationReport report = verify(lines);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains("record missing: leaf 39 between line 40 and 41")
        .contains("line " + (RECORDS + 1) + ": the trailer says 100 records, the file has 99");
    assertThat(kinds(report))
        .contains(Kind.MISSING, Kind.TRUNCATED, Kind.ROOT)
        .doesNotContain(Kind.OUT_OF_ORDER);
  }

  @Test
  void swappedLinesAreOutOfOrder() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    Collections.swap(lines, 19, 20);
    VerificationReport report = verify(lines);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains("lines 20-21: out of order: leaf 18 comes after leaf 19");
    assertThat(kinds(report))
        .contains(Kind.OUT_OF_ORDER, Kind.ROOT)
        .doesNotContain(Kind.MISSING, Kind.CHANGED);
  }

  @Test
  void aRepeatedLineIsNamed() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    lines.add(11, lines.get(10));
    VerificationReport report = verify(lines);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains("line 12: leaf 9 repeated or out of order (after leaf 9)");
  }

  @Test
  void aTruncatedFileHasNoTrailer() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    List<String> cut = new ArrayList<>(lines.subList(0, 71));
    VerificationReport report = verify(cut);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains("file truncated: no trailer after line 71")
        .contains(
            "record missing: leaves 70-99 after line 71 (the header's range ends at leaf 99)");
    // Cut in the middle of a line, as a failed copy does.
    List<String> torn = new ArrayList<>(lines.subList(0, 51));
    torn.add(lines.get(51).substring(0, 40));
    VerificationReport tornReport = verify(torn);
    assertThat(tornReport.problems())
        .extracting(Problem::message)
        .anyMatch(m -> m.startsWith("line 52: not valid JSON"))
        .contains("file truncated: no trailer after line 52");
  }

  @Test
  void aReplacedCheckpointIsCaught() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    // A forged checkpoint: another root, same key id, signature copied over.
    ObjectNode header = (ObjectNode) JSON.readTree(lines.get(0));
    ObjectNode cp = (ObjectNode) header.get(PreparedExport.HEADER).get("checkpoint");
    cp.put("root_hash", Hashes.hex(Hashes.leaf(new byte[] {1})));
    List<String> forged = new ArrayList<>(lines);
    forged.set(0, JSON.writeValueAsString(header));
    VerificationReport report = verify(forged);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains("line 1: checkpoint signature invalid for key " + KEY.keyId());
    assertThat(kinds(report)).containsExactly(Kind.SIGNATURE, Kind.ROOT);

    // A genuine but older checkpoint does not cover these records.
    header.get(PreparedExport.HEADER).withObject("checkpoint").setAll(at60.toJson());
    List<String> older = new ArrayList<>(lines);
    older.set(0, JSON.writeValueAsString(header));
    VerificationReport olderReport = verify(older);
    assertThat(kinds(olderReport)).contains(Kind.MALFORMED).doesNotContain(Kind.SIGNATURE);
    assertThat(olderReport.ok()).isFalse();
  }

  @Test
  void theWrongKeyOrNoKeyFails() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", null));
    NotaryKey other = NotaryKey.generate();
    VerificationReport report = verify(lines, other, null);
    assertThat(report.problems())
        .extracting(Problem::message)
        .containsExactly(
            "line 1: the checkpoint names key "
                + KEY.keyId()
                + ", not the given key "
                + other.keyId(),
            "line 1: checkpoint signature invalid for key " + other.keyId());
    VerificationReport noKey = verify(lines, null, null);
    assertThat(noKey.problems()).singleElement().extracting(Problem::kind).isEqualTo(Kind.KEY);
  }

  @Test
  void aPeriodExportHoldsExactlyTheRecordsCommittedInIt() throws IOException {
    String from;
    String to;
    try (LogReader reader = LogReader.open(dir, "acme").orElseThrow()) {
      from = Instant.ofEpochMilli(reader.committedAtMillis(20)).toString();
      to = Instant.ofEpochMilli(reader.committedAtMillis(50)).toString();
    }
    List<String> lines = lines(export("acme", from, to, "ndjson", null));
    assertThat(lines).hasSize(30 + 2);
    assertThat(lines.get(1)).contains("\"leaf_index\":20,");
    assertThat(lines.get(30)).contains("\"leaf_index\":49,");
    assertThat(verify(lines).problems()).isEmpty();
    // A record moved into the export from outside its period is caught twice over.
    List<String> widened = new ArrayList<>(lines);
    widened.add(1, lines(export("acme", null, null, "ndjson", null)).get(20));
    assertThat(kinds(verify(widened))).contains(Kind.SCOPE, Kind.ROOT);
  }

  @Test
  void theLogIsProvedAnExtensionOfThePreviousCheckpoint() throws IOException {
    List<String> lines = lines(export("acme", null, null, "ndjson", "60"));
    VerificationReport report = verify(lines, KEY, at60);
    assertThat(report.problems()).isEmpty();
    assertThat(report.notes()).isEmpty();
    assertThat(verify(lines, KEY, null).notes()).singleElement().asString().contains("not checked");

    // A checkpoint of a rewritten history (same size, other root, genuinely signed) is a fork.
    Checkpoint fork = KEY.sign("acme", 60, Hashes.leaf(new byte[] {7}), Instant.now());
    VerificationReport forked = verify(lines, KEY, fork);
    assertThat(forked.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.CONSISTENCY);
              assertThat(p.message())
                  .startsWith(
                      "the log is not an extension of the previous checkpoint (tree_size 60");
            });
    // No proof for the auditor's size.
    VerificationReport noProof =
        verify(lines(export("acme", null, null, "ndjson", null)), KEY, at60);
    assertThat(noProof.problems())
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .contains("no consistency proof from the previous checkpoint's tree_size 60");
    // A previous checkpoint newer than the export.
    Checkpoint newer = KEY.sign("acme", 500, Hashes.leaf(new byte[] {7}), Instant.now());
    assertThat(verify(lines, KEY, newer).problems())
        .extracting(Problem::kind)
        .containsExactly(Kind.CONSISTENCY);
  }

  @Test
  void theProofsAgreeWithInclusionProofsOfTheStoredTree() throws IOException {
    try (LogReader reader = LogReader.open(dir, "acme").orElseThrow()) {
      for (long leaf : new long[] {0, 1, 42, RECORDS - 1}) {
        byte[][] data = new byte[1][];
        reader.forEach(leaf, leaf + 1, (i, d) -> data[0] = d);
        assertThat(
                MerkleProofs.verifyInclusion(
                    leaf,
                    RECORDS,
                    Hashes.leaf(data[0]),
                    MerkleProofs.inclusion(reader, leaf, RECORDS),
                    latest.root()))
            .isTrue();
      }
    }
  }

  @Test
  void badRequestsAreRefusedWithEveryReason() {
    assertThatThrownBy(() -> ExportRequest.parse("ac me", "yesterday", null, "xml", "-1"))
        .isInstanceOfSatisfying(
            ExportException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ExportException.Kind.BAD_REQUEST);
              assertThat(e.details()).hasSize(4);
            });
    assertThatThrownBy(
            () -> new Exporter(dir).prepare(ExportRequest.parse("nobody", null, null, null, null)))
        .isInstanceOfSatisfying(
            ExportException.class,
            e -> assertThat(e.kind()).isEqualTo(ExportException.Kind.NOT_FOUND));
    assertThatThrownBy(
            () -> new Exporter(dir).prepare(ExportRequest.parse("acme", null, null, null, "101")))
        .isInstanceOfSatisfying(
            ExportException.class,
            e -> assertThat(e.kind()).isEqualTo(ExportException.Kind.BAD_REQUEST));
  }

  @Test
  void garbageIsReportedNotThrown(@TempDir Path tmp) throws IOException {
    assertThat(verify(List.of("not json at all"), KEY, null).problems())
        .extracting(Problem::kind)
        .containsExactly(Kind.MALFORMED);
    assertThat(
            verify(
                    List.of(
                        "{\"ledger_export\":{\"format\":\"ledger-export/1\",\"checkpoint\":{}}}"),
                    KEY,
                    null)
                .problems())
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .startsWith("line 1: bad header:");
    Path empty = Files.createFile(tmp.resolve("empty.ndjson"));
    assertThat(Verifier.verify(empty, KEY.publicKey(), null, null).problems())
        .extracting(Problem::message)
        .containsExactly("file truncated: it is empty");
    assertThat(Verifier.verify(tmp.resolve("absent"), KEY.publicKey(), null, null).ok()).isFalse();
  }

  @Test
  void aPreviousCheckpointIsReadFromAFileOrAnEarlierExport(@TempDir Path tmp) throws IOException {
    Path earlier = tmp.resolve("earlier.ndjson");
    Files.writeString(earlier, export("acme", null, null, "ndjson", null));
    assertThat(Verifier.readCheckpoint(earlier)).isEqualTo(latest);
    Path file = tmp.resolve("checkpoint.json");
    Files.writeString(file, JSON.writeValueAsString(at60.toJson()));
    assertThat(Verifier.readCheckpoint(file)).isEqualTo(at60);
    Files.writeString(file, "nonsense");
    assertThatThrownBy(() -> Verifier.readCheckpoint(file))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

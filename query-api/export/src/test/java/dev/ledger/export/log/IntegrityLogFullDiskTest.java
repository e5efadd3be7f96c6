package dev.ledger.export.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.log.internal.Layout;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrity log on a disk that fills up (issue 16), by fault injection ({@link FullDisk} on its
 * write seam): a failed commit leaves a partial line behind but never a corrupt state.json, readers
 * see only what was committed, and once there is space the log goes back to its last commit (files
 * cut back, the partial line gone) and takes the same records again, once. The notary's retry loop
 * around this runs on a real broker in {@code NotaryIT}.
 */
class IntegrityLogFullDiskTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PARTITION = "ledger.audit-0";

  private final NotaryKey key = NotaryKey.generate();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1);
  private final FullDisk disk = new FullDisk();

  @TempDir Path dir;

  private void append(IntegrityLog log, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      assertThat(log.append(TestRecords.avro("acme", i))).isTrue();
    }
  }

  private JsonNode state() throws IOException {
    return JSON.readTree(dir.resolve(Layout.STATE).toFile());
  }

  private Path records() {
    return Layout.tenantDir(dir, "acme").resolve(Layout.RECORDS);
  }

  /** The event ids of an NDJSON export of acme, after verifying it with the notary's key. */
  private List<String> exportedAndVerified() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Exporter(dir)
        .prepare(ExportRequest.parse("acme", null, null, "ndjson", null))
        .writeTo(out, ProgressListener.NONE);
    VerificationReport report =
        Verifier.verify(
            new ByteArrayInputStream(out.toByteArray()),
            key.publicKey(),
            null,
            ProgressListener.NONE);
    assertThat(report.problems()).isEmpty();
    List<String> ids = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode event = JSON.readTree(line).path("record").path("event_id");
      if (!event.isMissingNode()) {
        ids.add(event.asText());
      }
    }
    return ids;
  }

  private static List<String> ids(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add("ev-acme-" + i);
    }
    return ids;
  }

  @Test
  void aFailedCommitLeavesTheLastCommitAndTheLogTakesTheRecordsAgainOnceThereIsSpace()
      throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock, disk)) {
      append(log, 0, 10);
      log.commit(Map.of(PARTITION, 10L));
      log.checkpoint("acme").orElseThrow();
      long committedLength = Files.size(records());

      disk.fillAfter(100);
      append(log, 10, 20); // buffered: written by the commit
      assertThatThrownBy(() -> log.commit(Map.of(PARTITION, 20L)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(FullDisk.NO_SPACE);
      assertThat(Files.size(records()))
          .as("a partial line was written, as on a real full disk")
          .isEqualTo(committedLength + 100);
      assertThat(state().path("offsets").path(PARTITION).asLong())
          .as("state.json is the last commit's, whole")
          .isEqualTo(10);
      assertThat(state().path("tenants").path("acme").asLong()).isEqualTo(10);
      assertThat(log.offsets()).containsEntry(PARTITION, 10L);
      assertThat(log.size("acme")).isEqualTo(10);
      assertThat(exportedAndVerified()).as("readers see the commit").isEqualTo(ids(0, 10));

      // While the disk is full, going back to the last commit cuts the files back (that needs no
      // space), but no commit succeeds.
      log.reopenFromLastCommit();
      assertThat(Files.size(records())).as("the partial line is gone").isEqualTo(committedLength);
      assertThatThrownBy(() -> log.commit(Map.of())).isInstanceOf(IOException.class);
      assertThat(state().path("offsets").path(PARTITION).asLong()).isEqualTo(10);

      disk.free();
      log.reopenFromLastCommit();
      log.commit(Map.of());
      assertThat(log.offsets()).containsEntry(PARTITION, 10L);
      // Consumed again from the committed offset: each record appended once.
      append(log, 10, 20);
      log.commit(Map.of(PARTITION, 20L));
      assertThat(log.append(TestRecords.avro("acme", 15))).as("a replay adds nothing").isFalse();

      // A checkpoint torn by the disk filling up is dropped on the way back to the last commit.
      Checkpoint before = log.checkpoint("acme").orElseThrow();
      append(log, 20, 21);
      log.commit(Map.of(PARTITION, 21L));
      disk.fillAfter(20);
      assertThatThrownBy(() -> log.checkpoint("acme")).isInstanceOf(IOException.class);
      disk.free();
      log.reopenFromLastCommit();
      assertThat(log.latestCheckpoint("acme")).contains(before);
      for (String line :
          Files.readAllLines(
              Layout.tenantDir(dir, "acme").resolve(Layout.CHECKPOINTS), StandardCharsets.UTF_8)) {
        assertThat(Checkpoint.fromJson(JSON.readTree(line))).isNotNull();
      }
      assertThat(log.checkpoint("acme").orElseThrow().treeSize()).isEqualTo(21);
      assertThat(disk.refused()).isGreaterThanOrEqualTo(3);
    }
    try (IntegrityLog reopened = IntegrityLog.open(dir, key, clock)) {
      assertThat(reopened.size("acme")).isEqualTo(21);
      assertThat(reopened.offsets()).containsEntry(PARTITION, 21L);
    }
    for (String line : Files.readAllLines(records(), StandardCharsets.UTF_8)) {
      assertThat(JSON.readTree(line).path("record").isObject()).as("no partial line").isTrue();
    }
    assertThat(exportedAndVerified()).isEqualTo(ids(0, 21));
  }
}

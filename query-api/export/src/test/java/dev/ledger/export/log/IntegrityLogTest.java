package dev.ledger.export.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.format.LeafData;
import dev.ledger.export.log.internal.Layout;
import dev.ledger.export.merkle.CompactRange;
import dev.ledger.export.merkle.Hashes;
import dev.ledger.export.merkle.MerkleProofs;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import dev.ledger.schemas.avro.AuditRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final NotaryKey key = NotaryKey.generate();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1);

  @TempDir Path dir;

  @Test
  void appendsPerTenantAndTheStoredTreeMatchesTheLeaves() throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      for (int i = 0; i < 37; i++) {
        assertThat(log.append(TestRecords.avro("acme", i))).isTrue();
        if (i % 3 == 0) {
          assertThat(log.append(TestRecords.avro("globex", i))).isTrue();
        }
      }
      log.commit(Map.of("ledger.audit-0", 50L));
      assertThat(log.size("acme")).isEqualTo(37);
      assertThat(log.size("globex")).isEqualTo(13);
      assertThat(log.tenants()).containsExactly("acme", "globex");
    }
    try (LogReader reader = LogReader.open(dir, "acme").orElseThrow()) {
      CompactRange expected = CompactRange.empty(null);
      List<String> ids = new ArrayList<>();
      reader.forEach(
          0,
          37,
          (leaf, data) -> {
            JsonNode leafJson = JSON.readTree(data);
            assertThat(data)
                .isEqualTo(
                    LeafData.encode(leafJson.get("committed_at").asText(), leafJson.get("record")));
            expected.appendLeaf(Hashes.leaf(data));
            ids.add(leafJson.path("record").path("event_id").asText());
          });
      assertThat(ids).first().isEqualTo("ev-acme-0");
      assertThat(ids).last().isEqualTo("ev-acme-36");
      assertThat(MerkleProofs.root(reader, 37)).isEqualTo(expected.root());
      assertThat(reader.committedAtMillis(1)).isGreaterThan(reader.committedAtMillis(0));
    }
  }

  @Test
  void aReplayedEventIdAddsNothingEvenAfterAReopen() throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.append(TestRecords.avro("acme", 1))).isTrue();
      assertThat(log.append(TestRecords.avro("acme", 1))).isFalse();
      assertThat(log.append(TestRecords.avro("globex", 1))).as("ids are per tenant").isTrue();
      log.commit(Map.of());
    }
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.append(TestRecords.avro("acme", 1))).isFalse();
      assertThat(log.append(TestRecords.avro("acme", 2))).isTrue();
      log.commit(Map.of());
      assertThat(log.size("acme")).isEqualTo(2);
    }
  }

  /** CONTRACT.md v1.10: an event is (tenant, token, event id). */
  @Test
  void theSameEventIdOnAnotherTokenIsAnotherEvent() throws IOException {
    AuditRecord first = TestRecords.avro("acme", 1);
    AuditRecord otherToken = AuditRecord.newBuilder(first).setTokenId("tok-other").build();
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.append(first)).isTrue();
      assertThat(log.append(otherToken)).as("another event").isTrue();
      assertThat(log.append(otherToken)).as("a replay of it").isFalse();
      log.commit(Map.of());
    }
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.append(first)).isFalse();
      assertThat(log.append(otherToken)).isFalse();
      log.commit(Map.of());
      assertThat(log.size("acme")).isEqualTo(2);
    }
  }

  /**
   * A log written before v1.10 remembers each leaf by the hash of its event id alone: a replay of
   * such a leaf is still caught, and the same event id on another token is still appended.
   */
  @Test
  void aLogWrittenBeforeV110StillCatchesReplays() throws IOException {
    AuditRecord old = TestRecords.avro("acme", 1);
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      log.append(old);
      log.commit(Map.of());
    }
    // What a writer before v1.10 stored as the leaf's id hash: the event id's.
    Path index = Layout.tenantDir(dir, "acme").resolve(Layout.INDEX);
    byte[] entry = Files.readAllBytes(index);
    ByteBuffer.wrap(entry).putLong(16, TenantWriter.eventIdHash(old.getEventId()));
    Files.write(index, entry);

    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.append(old)).as("a replay of the old leaf").isFalse();
      assertThat(log.append(AuditRecord.newBuilder(old).setTokenId("tok-other").build()))
          .as("its event id on another token")
          .isTrue();
      log.commit(Map.of());
      assertThat(log.size("acme")).isEqualTo(2);
    }
  }

  @Test
  void whatWasNotCommittedIsGoneAfterACrashAndOffsetsResumeWithIt() throws IOException {
    byte[] committedRoot;
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      for (int i = 0; i < 5; i++) {
        log.append(TestRecords.avro("acme", i));
      }
      log.commit(Map.of("ledger.audit-0", 5L));
      committedRoot = log.checkpoint("acme").orElseThrow().root();
      for (int i = 5; i < 9; i++) {
        log.append(TestRecords.avro("acme", i));
      }
      // Not committed: a crash now. Closing flushes buffers, so the files do hold the 4 leaves.
    }
    Path tenant = Layout.tenantDir(dir, "acme");
    Files.write(tenant.resolve(Layout.RECORDS), "{torn".getBytes(), StandardOpenOption.APPEND);
    Files.write(
        tenant.resolve(Layout.CHECKPOINTS), "{\"torn\":".getBytes(), StandardOpenOption.APPEND);
    assertThat(Files.size(tenant.resolve(Layout.INDEX))).isEqualTo(9L * Layout.INDEX_ENTRY);

    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.size("acme")).isEqualTo(5);
      assertThat(log.offsets()).containsEntry("ledger.audit-0", 5L);
      assertThat(Files.size(tenant.resolve(Layout.INDEX))).isEqualTo(5L * Layout.INDEX_ENTRY);
      assertThat(Files.size(tenant.resolve(Layout.TREE))).isEqualTo(Layout.treeLength(5));
      assertThat(log.latestCheckpoint("acme")).map(Checkpoint::treeSize).contains(5L);
      // The replay from offset 5 appends the same records again, once.
      for (int i = 5; i < 9; i++) {
        assertThat(log.append(TestRecords.avro("acme", i))).isTrue();
      }
      log.commit(Map.of("ledger.audit-0", 9L));
      Checkpoint c = log.checkpoint("acme").orElseThrow();
      try (LogReader reader = LogReader.open(dir, "acme").orElseThrow()) {
        assertThat(MerkleProofs.root(reader, 9)).isEqualTo(c.root());
        assertThat(
                MerkleProofs.verifyConsistency(
                    5, 9, committedRoot, c.root(), MerkleProofs.consistency(reader, 5, 9)))
            .isTrue();
        assertThat(reader.latestCheckpoint()).contains(c);
      }
    }
  }

  @Test
  void checkpointsAreSignedWhenEnoughRecordsWaitOrTimePasses() throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.checkpointsDue(3, Duration.ofHours(1))).isEmpty();
      log.append(TestRecords.avro("acme", 0));
      log.commit(Map.of());
      // The first checkpoint of a tenant is due at once (no earlier one to wait from).
      assertThat(log.checkpointsDue(3, Duration.ofHours(1))).hasSize(1);
      log.append(TestRecords.avro("acme", 1));
      log.commit(Map.of());
      assertThat(log.checkpointsDue(3, Duration.ofHours(1))).isEmpty();
      log.append(TestRecords.avro("acme", 2));
      log.append(TestRecords.avro("acme", 3));
      log.commit(Map.of());
      List<Checkpoint> due = log.checkpointsDue(3, Duration.ofHours(1));
      assertThat(due)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.treeSize()).isEqualTo(4);
                assertThat(c.verify(key.publicKey())).isTrue();
              });
      log.append(TestRecords.avro("acme", 4));
      log.commit(Map.of());
      clock.advance(Duration.ofHours(2).toMillis());
      assertThat(log.checkpointsDue(3, Duration.ofHours(1)))
          .singleElement()
          .extracting(Checkpoint::treeSize)
          .isEqualTo(5L);
    }
  }

  @Test
  void tenantsDifferingOnlyInCaseGetDirectoriesThatDifferOnACaseInsensitiveFileSystem()
      throws IOException {
    String upper = Layout.tenantDir(dir, "ACME").getFileName().toString();
    String lower = Layout.tenantDir(dir, "acme").getFileName().toString();
    assertThat(upper.toLowerCase(java.util.Locale.ROOT))
        .isNotEqualTo(lower.toLowerCase(java.util.Locale.ROOT));
    assertThat(upper).isEqualTo("t-%41%43%4D%45");
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      log.append(TestRecords.avro("ACME", 1));
      log.append(TestRecords.avro("acme", 1));
      log.append(TestRecords.avro("acme", 2));
      log.commit(Map.of());
    }
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.size("ACME")).isEqualTo(1);
      assertThat(log.size("acme")).isEqualTo(2);
    }
  }

  @Test
  void aTenantDirectoryOfTheOldLayoutIsMovedToItsNewName() throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      log.append(TestRecords.avro("Globex", 1));
      log.commit(Map.of());
    }
    Path current = Layout.tenantDir(dir, "Globex");
    Path legacy = dir.resolve("tenants").resolve("t-Globex");
    Files.move(current, legacy);
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThat(log.size("Globex")).isEqualTo(1);
      assertThat(current).isDirectory();
      assertThat(legacy).doesNotExist();
    }
  }

  @Test
  void aSecondWriterIsRefusedAndTenantNamesCannotEscapeTheDirectory() throws IOException {
    try (IntegrityLog log = IntegrityLog.open(dir, key, clock)) {
      assertThatThrownBy(() -> IntegrityLog.open(dir, key, clock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another notary");
      assertThat(Layout.tenantDir(dir, "..")).isEqualTo(dir.resolve("tenants").resolve("t-.."));
      assertThat(Layout.tenantDir(dir, "a/b")).isEqualTo(dir.resolve("tenants").resolve("t-a%2Fb"));
      log.commit(Map.of());
    }
  }
}

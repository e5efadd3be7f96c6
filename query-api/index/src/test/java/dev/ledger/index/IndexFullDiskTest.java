package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static dev.ledger.index.Records.audit;
import static dev.ledger.index.Records.revocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.RevocationNotice;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the index (issue 16), by fault injection ({@link FullDisk} on the directory
 * seam): nothing half-written becomes durable, searches go on from what was searchable, and once
 * there is space the index writes on from its last commit, whose Kafka positions are where the
 * {@link Indexer} reads on, so every record ends up indexed once. The indexer's loop around this
 * runs on a real broker in {@code IndexerIT}.
 */
class IndexFullDiskTest {

  static final TopicPartition AUDIT_0 = new TopicPartition(Topics.AUDIT.name(), 0);
  static final TopicPartition REVOCATIONS_0 = new TopicPartition(Topics.REVOCATIONS.name(), 0);
  static final TenantScope ACME = TenantScope.of("acme");

  @TempDir Path dir;
  final FullDisk disk = new FullDisk();

  static AuditRecord use(int i) {
    return audit("acme", "u" + i, T0.plusMillis(i), "alice", "root:x", "a:y").build();
  }

  static RevocationNotice revoked(String tokenId) {
    return revocation("acme", tokenId, tokenId, T0, T0);
  }

  static List<String> auditIds(LedgerIndex index) throws InvalidQueryException {
    return index.audit(ACME, AuditFilter.empty(), PageRequest.first(100)).items().stream()
        .map(AuditRecord::getEventId)
        .toList();
  }

  static List<String> revokedTokens(LedgerIndex index) throws InvalidQueryException {
    return index.revocations(ACME, null, PageRequest.first(100)).items().stream()
        .map(RevocationNotice::getTokenId)
        .toList();
  }

  /** The records of offsets {@code from} to {@code to} - 1, and a notice, as the Indexer writes. */
  static void write(LedgerIndex index, int from, int to, String revokedToken) throws IOException {
    for (int i = from; i < to; i++) {
      index.putAudit(use(i));
    }
    index.putRevocation("acme", revokedToken, revoked(revokedToken), 0, 0);
  }

  @Test
  void aWriteErrorKeepsTheLastCommitAndTheIndexWritesOnFromItOnceThereIsSpace() throws Exception {
    try (LedgerIndex index = LedgerIndex.open(dir, LedgerIndex.DEFAULT_REFRESH_INTERVAL, disk)) {
      index.fedByIndexer(); // as under the Indexer: only commit(positions) makes writes durable
      write(index, 0, 3, "a");
      index.commit(Map.of(AUDIT_0, 3L, REVOCATIONS_0, 1L));
      index.awaitSearchable();

      disk.fill();
      // Lucene writes stored fields as documents come, a segment at a reopen, a commit point at
      // commit: one of them fails.
      assertThatThrownBy(
              () -> {
                write(index, 3, 6, "b");
                index.awaitNoticesSearchableOrThrow();
                index.commit(Map.of(AUDIT_0, 6L, REVOCATIONS_0, 2L));
              })
          .isInstanceOfAny(IOException.class, AlreadyClosedException.class);
      assertThat(disk.refused()).isPositive();

      // Searches go on from what was searchable before the error.
      assertThat(auditIds(index)).containsExactlyInAnyOrder("u0", "u1", "u2");
      assertThat(revokedTokens(index)).containsExactly("a");
      assertThat(index.committedOffsets())
          .as("a failed commit moves no position")
          .containsEntry(AUDIT_0, 3L)
          .containsEntry(REVOCATIONS_0, 1L);

      // The Indexer's recovery (back to the last commit, then a commit) fails while the disk is
      // full; searches still answer.
      assertThatThrownBy(
              () -> {
                index.reopenFromLastCommit();
                index.commit(Map.of());
              })
          .isInstanceOfAny(IOException.class, AlreadyClosedException.class);
      assertThat(auditIds(index)).contains("u0", "u1", "u2").doesNotHaveDuplicates();

      disk.free();
      index.reopenFromLastCommit();
      index.commit(Map.of());
      assertThat(index.committedOffsets())
          .containsEntry(AUDIT_0, 3L)
          .containsEntry(REVOCATIONS_0, 1L);
      index.awaitSearchable();
      assertThat(auditIds(index))
          .as("what the failed writes left is gone: nothing half-written")
          .containsExactlyInAnyOrder("u0", "u1", "u2");
      assertThat(revokedTokens(index)).containsExactly("a");

      // Read again from the committed positions, each record is written once more, once.
      write(index, 3, 6, "b");
      index.commit(Map.of(AUDIT_0, 6L, REVOCATIONS_0, 2L));
      index.awaitSearchable();
      assertThat(auditIds(index)).containsExactlyInAnyOrder("u0", "u1", "u2", "u3", "u4", "u5");
      assertThat(revokedTokens(index)).containsExactlyInAnyOrder("a", "b");
    }
    try (LedgerIndex reopened = LedgerIndex.open(dir)) {
      assertThat(auditIds(reopened)).containsExactlyInAnyOrder("u0", "u1", "u2", "u3", "u4", "u5");
      assertThat(revokedTokens(reopened)).containsExactlyInAnyOrder("a", "b");
      assertThat(reopened.committedOffsets())
          .containsEntry(AUDIT_0, 6L)
          .containsEntry(REVOCATIONS_0, 2L);
    }
  }

  @Test
  void aNoticeThatCannotBeMadeSearchableFailsAtOnceRatherThanAfterTheWait() throws Exception {
    // No scheduled reopen: only the indexer's wait makes the notice searchable.
    try (LedgerIndex index = LedgerIndex.open(dir, Duration.ofMinutes(10), disk)) {
      index.fedByIndexer();
      write(index, 0, 1, "a");
      index.commit(Map.of(AUDIT_0, 1L, REVOCATIONS_0, 1L));
      index.awaitSearchable();
      index.putRevocation("acme", "b", revoked("b"), 0, 1); // buffered: written at the next reopen
      disk.fill();
      long start = System.nanoTime();
      assertThatThrownBy(index::awaitNoticesSearchableOrThrow)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(FullDisk.NO_SPACE);
      // Before, the indexer waited the full 10 s for a reopen that could not happen, then told
      // resource servers of a notice that was not searchable.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(revokedTokens(index)).containsExactly("a");
    }
  }
}

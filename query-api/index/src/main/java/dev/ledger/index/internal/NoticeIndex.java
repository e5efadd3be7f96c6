package dev.ledger.index.internal;

import dev.ledger.schemas.avro.RevocationNotice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The revocation notices, in a Lucene directory of their own beside the main index.
 *
 * <p>Why apart: a notice must be searchable (and heard by resource servers) at once, so each batch
 * of notices forces a reopen. In the main index that reopen flushed every token and audit document
 * buffered so far into one more tiny segment, and the merges that followed cost more than the
 * notices. Here a forced reopen flushes notices only, a few small documents, and the main index
 * keeps its adaptive schedule of larger flushes.
 *
 * <p>It keeps its own commit data: the positions of the ledger.revocations partitions (the main
 * index keeps the other topics'), so each index resumes exactly where its own committed documents
 * end. Each document carries its record's partition and offset, the SSE position of its notice: a
 * notice read again after a crash or a write error gets the same ones. Not thread-safe for writers
 * beyond {@link #put}, which is.
 */
public final class NoticeIndex implements Closeable {

  /** Where the notices live inside the main index's directory. */
  public static final String SUBDIRECTORY = "notices";

  /** Notices are small and flushed on every forced reopen: a small buffer is plenty. */
  private static final double RAM_BUFFER_MB = 16;

  private final Directory directory;
  private final LiveWriter live;
  private final Map<String, String> commitData;
  private final boolean created;

  private NoticeIndex(
      Directory directory,
      IndexWriter writer,
      Map<String, String> commitData,
      boolean created,
      Duration refresh,
      Duration maxRefresh)
      throws IOException {
    this.directory = directory;
    this.commitData = commitData;
    this.created = created;
    this.live =
        new LiveWriter(
            directory, writer, RAM_BUFFER_MB, refresh, maxRefresh, "ledger-index-notices-refresh");
  }

  /**
   * Opens (or creates) the notice index under {@code indexDir}. One written before its documents
   * had positions (contract v1.17) is emptied and read again from ledger.revocations: its notices
   * had only sequences, which no SSE client can use any more.
   */
  public static NoticeIndex open(Path indexDir, Duration refresh, Duration maxRefresh)
      throws IOException {
    return open(indexDir, refresh, maxRefresh, UnaryOperator.identity());
  }

  /**
   * {@link #open(Path, Duration, Duration)} with the directory wrapped by {@code wrap} (tests
   * inject write errors there).
   */
  public static NoticeIndex open(
      Path indexDir, Duration refresh, Duration maxRefresh, UnaryOperator<Directory> wrap)
      throws IOException {
    Directory directory = wrap.apply(FSDirectory.open(indexDir.resolve(SUBDIRECTORY)));
    boolean created;
    try {
      created = !DirectoryReader.indexExists(directory);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    IndexWriter writer = Writers.open(directory, RAM_BUFFER_MB);
    try {
      Map<String, String> data = Writers.commitData(writer);
      if (!CommitData.revocationPlaces(data)) {
        writer.deleteAll();
        data.clear();
        CommitData.putRevocationPlaces(data);
        Writers.commit(writer, data);
      }
      return new NoticeIndex(directory, writer, data, created, refresh, maxRefresh);
    } catch (IOException | RuntimeException e) {
      writer.rollback();
      directory.close();
      throw e;
    }
  }

  /** True when this open created the index (no notice was indexed apart before). */
  public boolean created() {
    return created;
  }

  /**
   * Adds or replaces the notice of {@code tenant/tokenId} (null: its tombstone), from the record at
   * {@code offset} of {@code partition} of ledger.revocations.
   */
  public void put(
      String tenant,
      String tokenId,
      RevocationNotice notice,
      byte[] encoded,
      int partition,
      long offset)
      throws IOException {
    live.writer()
        .updateDocument(
            Documents.revocationTerm(tenant, tokenId),
            Documents.revocation(tenant, tokenId, notice, encoded, partition, offset));
  }

  /** The current searchers (others after {@link #reopenFromLastCommit}). */
  public SearcherManager searchers() {
    return live.searchers();
  }

  /** Acquires a searcher that a {@link #reopenFromLastCommit} meanwhile does not spoil. */
  public LiveWriter.Acquired acquire() throws IOException {
    return live.acquire();
  }

  /**
   * Blocks until every notice written before this call is searchable (a reopen at once); false
   * after {@code maxMillis} or when the reopen failed ({@link #throwIfFailed} says why).
   */
  public boolean awaitSearchable(long maxMillis) throws InterruptedException {
    return live.awaitSearchable(maxMillis);
  }

  /** Throws when a write error stopped the writer or its last reopen (see {@link LiveWriter}). */
  public void throwIfFailed() throws IOException {
    live.throwIfFailed();
  }

  /** Live and tombstoned notices. */
  public long documentCount() {
    return live.documentCount();
  }

  /**
   * Makes every notice written durable with {@code positions}, which name ledger.revocations
   * partitions only. The positions kept in memory change only once the commit succeeded.
   */
  public synchronized void commit(Map<TopicPartition, Long> positions) throws IOException {
    Map<String, String> next = new HashMap<>(commitData);
    CommitData.putOffsets(next, positions);
    live.commit(next);
    commitData.putAll(next);
  }

  /** The positions of the last commit. */
  public synchronized Map<TopicPartition, Long> committedOffsets() {
    return CommitData.offsets(commitData);
  }

  /**
   * Drops every notice written since the last commit and writes on from that commit with a new
   * writer (see {@link LiveWriter#reopenFromLastCommit}); the positions are that commit's again.
   */
  public synchronized void reopenFromLastCommit() throws IOException {
    Map<String, String> last = live.reopenFromLastCommit();
    commitData.clear();
    commitData.putAll(last);
  }

  /** Restarts the scheduled reopens with a new idle interval. */
  public void refreshInterval(Duration refresh, Duration maxRefresh) {
    live.refreshInterval(refresh, maxRefresh);
  }

  public void addRefreshListener(ReferenceManager.RefreshListener listener) {
    live.addRefreshListener(listener);
  }

  /**
   * Closes, committing what was written when {@code commit}, else dropping what the last commit
   * does not hold.
   */
  public void close(boolean commit) throws IOException {
    try {
      live.close(commit);
    } finally {
      directory.close();
    }
  }

  /** Closes without committing (what the last commit does not hold is dropped). */
  @Override
  public void close() throws IOException {
    close(false);
  }
}

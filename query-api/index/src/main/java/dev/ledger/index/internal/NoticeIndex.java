package dev.ledger.index.internal;

import dev.ledger.schemas.avro.RevocationNotice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * end, and the revocation sequence epoch. A sequence is {@code epoch << 40 | counter}; each open
 * starts a new epoch (committed at once), so sequences handed out before a crash are never handed
 * out again to other notices. Not thread-safe for writers beyond {@link #put}, which is.
 */
public final class NoticeIndex implements Closeable {

  /** Where the notices live inside the main index's directory. */
  public static final String SUBDIRECTORY = "notices";

  /** Notices are small and flushed on every forced reopen: a small buffer is plenty. */
  private static final double RAM_BUFFER_MB = 16;

  private static final int SEQUENCE_BITS = 40;

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Map<String, String> commitData;
  private final boolean created;
  private final long sequenceBase;
  private long sequenceCounter;
  private volatile AdaptiveReopener reopener;

  private NoticeIndex(
      Directory directory,
      IndexWriter writer,
      Map<String, String> commitData,
      boolean created,
      Duration refresh,
      Duration maxRefresh)
      throws IOException {
    this.directory = directory;
    this.writer = writer;
    this.commitData = commitData;
    this.created = created;
    this.sequenceBase = CommitData.epoch(commitData) << SEQUENCE_BITS;
    this.searchers = new SearcherManager(writer, null);
    this.reopener =
        new AdaptiveReopener(
            writer, searchers, refresh, maxRefresh, "ledger-index-notices-refresh");
  }

  /**
   * Opens (or creates) the notice index under {@code indexDir}, in a new epoch above both its own
   * last one and {@code mainEpoch} (an index from before notices moved kept the epoch there).
   */
  public static NoticeIndex open(
      Path indexDir, long mainEpoch, Duration refresh, Duration maxRefresh) throws IOException {
    Directory directory = FSDirectory.open(indexDir.resolve(SUBDIRECTORY));
    boolean created;
    try {
      created = !DirectoryReader.indexExists(directory);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    IndexWriter writer = Writers.open(directory, RAM_BUFFER_MB);
    Map<String, String> data = Writers.commitData(writer);
    CommitData.putEpoch(data, Math.max(CommitData.epoch(data), mainEpoch) + 1);
    Writers.commit(writer, data);
    return new NoticeIndex(directory, writer, data, created, refresh, maxRefresh);
  }

  /** True when this open created the index (no notice was indexed apart before). */
  public boolean created() {
    return created;
  }

  /** The epoch of this open's sequences. */
  public long epoch() {
    return CommitData.epoch(commitData);
  }

  /**
   * Adds or replaces the notice of {@code tenant/tokenId} (null: its tombstone) with the next
   * sequence, which it returns.
   */
  public synchronized long put(
      String tenant, String tokenId, RevocationNotice notice, byte[] encoded) throws IOException {
    long sequence = sequenceBase | ++sequenceCounter;
    writer.updateDocument(
        Documents.revocationTerm(tenant, tokenId),
        Documents.revocation(tenant, tokenId, notice, encoded, sequence));
    return sequence;
  }

  public SearcherManager searchers() {
    return searchers;
  }

  /**
   * Blocks until every notice written before this call is searchable (a reopen at once); false
   * after {@code maxMillis}.
   */
  public boolean awaitSearchable(long maxMillis) throws InterruptedException {
    return reopener.waitForGeneration(writer.getMaxCompletedSequenceNumber(), maxMillis);
  }

  /** Live and tombstoned notices. */
  public long documentCount() {
    return writer.getDocStats().numDocs;
  }

  /**
   * Makes every notice written durable with {@code positions}, which name ledger.revocations
   * partitions only.
   */
  public synchronized void commit(Map<TopicPartition, Long> positions) throws IOException {
    CommitData.putOffsets(commitData, positions);
    Writers.commit(writer, commitData);
  }

  /** The positions of the last commit. */
  public synchronized Map<TopicPartition, Long> committedOffsets() {
    return CommitData.offsets(commitData);
  }

  /** Restarts the scheduled reopens with a new idle interval. */
  public void refreshInterval(Duration refresh, Duration maxRefresh) {
    AdaptiveReopener old = reopener;
    reopener =
        new AdaptiveReopener(
            writer, searchers, refresh, maxRefresh, "ledger-index-notices-refresh");
    old.close();
  }

  public void addRefreshListener(ReferenceManager.RefreshListener listener) {
    searchers.addListener(listener);
  }

  /**
   * Closes, committing what was written when {@code commit}, else dropping what the last commit
   * does not hold.
   */
  public void close(boolean commit) throws IOException {
    reopener.close();
    searchers.close();
    if (commit) {
      writer.commit();
      writer.close();
    } else {
      writer.rollback();
    }
    directory.close();
  }

  /** Closes without committing (what the last commit does not hold is dropped). */
  @Override
  public void close() throws IOException {
    close(false);
  }
}

package dev.ledger.index.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;

/**
 * Opens the index writers of the ledger's Lucene directories, all configured alike but for their
 * buffer.
 */
public final class Writers {

  private Writers() {}

  /**
   * A writer on {@code directory} (created if absent) with a {@code ramBufferMb} indexing buffer;
   * the directory is closed if the writer cannot be opened.
   */
  public static IndexWriter open(Directory directory, double ramBufferMb) throws IOException {
    try {
      return reopen(directory, ramBufferMb);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * A new writer on {@code directory} from its last commit, as {@link #open}, but the directory
   * stays open if it fails: after a write error closed the previous writer, the caller tries again
   * later on the same directory.
   */
  public static IndexWriter reopen(Directory directory, double ramBufferMb) throws IOException {
    TieredMergePolicy merges = new TieredMergePolicy();
    // 16 segments per tier instead of 8: under sustained appends each byte is rewritten by fewer
    // merges; a search visits a few more segments, which the index sort keeps cheap.
    merges.setSegmentsPerTier(16);
    merges.setMaxMergeAtOnce(16);
    ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler();
    // One merge thread: the two cores are shared with the stream threads and the API.
    scheduler.setMaxMergesAndThreads(4, 1);
    IndexWriterConfig config =
        new IndexWriterConfig(AuditQueryParser.ANALYZER)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            // Stored in newest-first order, so a page of a sorted search stops early (see Sorts).
            .setIndexSort(Sorts.NEWEST_FIRST)
            .setRAMBufferSizeMB(ramBufferMb)
            .setMergePolicy(merges)
            .setMergeScheduler(scheduler)
            // Flushed segments (one per reopen) are merged soon anyway: packing each into a
            // compound
            // file first would write every flushed byte twice.
            .setUseCompoundFile(false)
            // The index decides itself whether uncommitted documents may be committed on close.
            .setCommitOnClose(false);
    return new IndexWriter(directory, config);
  }

  /** The user data of the writer's last commit (empty for a new index). */
  public static Map<String, String> commitData(IndexWriter writer) {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> last = writer.getLiveCommitData();
    if (last != null) {
      last.forEach(e -> data.put(e.getKey(), e.getValue()));
    }
    return data;
  }

  /** Commits everything written with {@code data} as the commit's user data. */
  public static void commit(IndexWriter writer, Map<String, String> data) throws IOException {
    writer.setLiveCommitData(new HashMap<>(data).entrySet(), true);
    writer.commit();
  }
}

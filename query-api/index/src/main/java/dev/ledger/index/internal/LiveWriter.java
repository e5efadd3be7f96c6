package dev.ledger.index.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;

/**
 * One Lucene directory's writer with its near-real-time searchers and their {@link
 * AdaptiveReopener}, able to start over from its last commit.
 *
 * <p>Why: a write error while Lucene writes a segment (a full disk) is "tragic" to Lucene, which
 * then closes the writer for good. {@link #reopenFromLastCommit} opens a new writer on the same
 * directory instead of leaving the index dead until a restart; what was written since the last
 * commit is dropped, and its owner reads it again from the Kafka positions that commit holds.
 * Searches go on meanwhile from the last searcher opened, and from the new writer's once it is
 * open.
 */
public final class LiveWriter {

  private final Directory directory;
  private final double ramBufferMb;
  private final String reopenThread;
  private final List<ReferenceManager.RefreshListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Duration minRefresh;
  private volatile Duration maxRefresh;
  private volatile IndexWriter writer;
  private volatile SearcherManager searchers;
  private volatile AdaptiveReopener reopener;

  /**
   * Takes over {@code writer} (just opened on {@code directory} with {@link Writers}, with a {@code
   * ramBufferMb} buffer) and starts its searchers, reopened every {@code minRefresh} when idle, up
   * to {@code maxRefresh} under load, on a thread named {@code reopenThread}.
   */
  public LiveWriter(
      Directory directory,
      IndexWriter writer,
      double ramBufferMb,
      Duration minRefresh,
      Duration maxRefresh,
      String reopenThread)
      throws IOException {
    this.directory = directory;
    this.ramBufferMb = ramBufferMb;
    this.reopenThread = reopenThread;
    this.minRefresh = minRefresh;
    this.maxRefresh = maxRefresh;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    this.reopener = new AdaptiveReopener(writer, searchers, minRefresh, maxRefresh, reopenThread);
  }

  /** The current writer (another one after {@link #reopenFromLastCommit}). */
  public IndexWriter writer() {
    return writer;
  }

  /** The current searchers; acquire through {@link #acquire} to survive a reopen. */
  public SearcherManager searchers() {
    return searchers;
  }

  /** The current reopen schedule. */
  public AdaptiveReopener reopener() {
    return reopener;
  }

  /**
   * Acquires a searcher from the current searchers. {@link #reopenFromLastCommit} may close the
   * searchers between reading the field and acquiring: then the new ones are asked.
   */
  public Acquired acquire() throws IOException {
    SearcherManager from = searchers;
    try {
      return new Acquired(from, from.acquire());
    } catch (AlreadyClosedException e) {
      SearcherManager now = searchers;
      if (now == from) {
        throw e;
      }
      return new Acquired(now, now.acquire());
    }
  }

  /** A searcher and where to release it. */
  public record Acquired(SearcherManager from, IndexSearcher searcher) {
    /** Gives the searcher back. */
    public void release() throws IOException {
      from.release(searcher);
    }
  }

  /**
   * Blocks until everything written before this call is searchable; false after {@code maxMillis}
   * or when a reopen failed (see {@link #throwIfFailed}).
   */
  public boolean awaitSearchable(long maxMillis) throws InterruptedException {
    long gen;
    try {
      gen = writer.getMaxCompletedSequenceNumber();
    } catch (AlreadyClosedException e) {
      // A write error closed the writer: nothing more becomes searchable until a reopen.
      return false;
    }
    return reopener.waitForGeneration(gen, maxMillis);
  }

  /** Live documents, from the writer or, once a write error closed it, the current searcher. */
  public long documentCount() {
    try {
      return writer.getDocStats().numDocs;
    } catch (AlreadyClosedException e) {
      try {
        Acquired a = acquire();
        try {
          return a.searcher().getIndexReader().numDocs();
        } finally {
          a.release();
        }
      } catch (IOException io) {
        throw new java.io.UncheckedIOException(io);
      }
    }
  }

  /**
   * Throws when a write error stopped the writer (Lucene's tragic exception) or made the last
   * reopen fail: nothing more can be written until {@link #reopenFromLastCommit}.
   */
  public void throwIfFailed() throws IOException {
    Throwable tragic = writer.getTragicException();
    if (tragic != null) {
      throw new IOException("index writer closed by a write error: " + tragic, tragic);
    }
    Exception failed = reopener.failure();
    if (failed != null) {
      throw new IOException("near-real-time reopen failed: " + failed, failed);
    }
  }

  /** Commits everything written with {@code data} as the commit's user data. */
  public void commit(Map<String, String> data) throws IOException {
    Writers.commit(writer, data);
  }

  /**
   * Drops everything written since the last commit and opens a new writer from that commit (the old
   * one rolled back, unless a write error closed it already), with new searchers and reopens;
   * returns the user data of that commit. Throws when the new writer cannot be opened: the old
   * state stays and a later call tries again.
   */
  public synchronized Map<String, String> reopenFromLastCommit() throws IOException {
    reopener.close();
    // A no-op on a writer a tragic error closed: Lucene rolled it back itself.
    writer.rollback();
    IndexWriter fresh = Writers.reopen(directory, ramBufferMb);
    SearcherManager freshSearchers;
    try {
      freshSearchers = new SearcherManager(fresh, null);
    } catch (IOException | RuntimeException e) {
      fresh.rollback();
      throw e;
    }
    for (ReferenceManager.RefreshListener l : listeners) {
      freshSearchers.addListener(l);
    }
    SearcherManager old = searchers;
    writer = fresh;
    searchers = freshSearchers;
    reopener = new AdaptiveReopener(fresh, freshSearchers, minRefresh, maxRefresh, reopenThread);
    // Searches holding the old searcher finish on it; its files go once they release it.
    old.close();
    return Writers.commitData(fresh);
  }

  /** Restarts the scheduled reopens with a new idle and busiest interval. */
  public synchronized void refreshInterval(Duration min, Duration max) {
    minRefresh = min;
    maxRefresh = max;
    AdaptiveReopener old = reopener;
    reopener = new AdaptiveReopener(writer, searchers, min, max, reopenThread);
    old.close();
  }

  /** Calls {@code listener} around every reopen, of these searchers and of later ones. */
  public void addRefreshListener(ReferenceManager.RefreshListener listener) {
    listeners.add(listener);
    searchers.addListener(listener);
  }

  /**
   * Stops reopening and closes the writer, committing what was written when {@code commit}, else
   * dropping what the last commit does not hold. The directory stays open (its owner closes it).
   */
  public synchronized void close(boolean commit) throws IOException {
    reopener.close();
    searchers.close();
    if (commit) {
      writer.commit();
      writer.close();
    } else {
      writer.rollback();
    }
  }
}

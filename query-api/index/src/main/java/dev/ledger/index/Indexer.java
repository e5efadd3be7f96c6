package dev.ledger.index;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Fills a {@link LedgerIndex} from ledger.tokens, ledger.audit, ledger.alerts and
 * ledger.revocations, on one background thread.
 *
 * <p>It assigns itself every partition of the four topics (and, on a periodic re-check, partitions
 * added later), reads read_committed, and resumes from the positions stored in the index's last
 * commit: no consumer group offsets, so the index and its positions never disagree, and a record
 * read again after a crash had its document dropped with the uncommitted rest: audit records and
 * alerts are simply added. The index is committed every {@link
 * IndexerSettings#commitEveryRecords()} records or {@link IndexerSettings#commitInterval()}, and on
 * {@link #close()}; once started, the {@link LedgerIndex} commits nothing else (see {@link
 * LedgerIndex#close()}).
 *
 * <p>Each poll is indexed notices first (searchable and told to the listeners before the rest of
 * the batch is written), then audit records and alerts, then each token's last version in the
 * batch: one update per token per batch.
 *
 * <p>Meters (when a registry is given): {@code ledger.index.lag} (gauge, records), {@code
 * ledger.index.documents} (counter, tag topic), {@code ledger.index.rejected} (counter of
 * undecodable records, skipped with a warning), {@code ledger.index.refresh} and {@code
 * ledger.index.commit} (timers), {@code ledger.index.refresh.interval} (gauge, ms: the current
 * reopen schedule) and {@code ledger.index.writes} (counter, tag op = add, update, delete: the
 * Lucene writes per record kind, to compare with the records indexed).
 */
public final class Indexer implements AutoCloseable {

  private final IndexerLoop loop;
  private final Thread thread;

  private Indexer(IndexerLoop loop) {
    this.loop = loop;
    this.thread = new Thread(loop, "ledger-indexer");
    thread.setDaemon(true);
  }

  /**
   * Starts indexing into {@code index} (which the caller keeps owning and closes after this).
   *
   * @param registry where to publish meters; null for none
   */
  public static Indexer start(IndexerSettings settings, LedgerIndex index, MeterRegistry registry) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(index, "index");
    index.refreshInterval(settings.refreshInterval());
    index.fedByIndexer();
    MeterRegistry meters = registry == null ? new SimpleMeterRegistry() : registry;
    Indexer indexer = new Indexer(new IndexerLoop(settings, index, meters));
    index.addRefreshListener(indexer.loop.refreshTimer());
    indexer.thread.start();
    return indexer;
  }

  /**
   * Calls {@code listener} with every revocation notice and tombstone indexed from now on, on the
   * indexer thread, once it is searchable. Keep it quick (hand off to your own queue); an exception
   * it throws is logged and ignored.
   */
  public void addRevocationListener(Consumer<SequencedNotice> listener) {
    loop.addRevocationListener(Objects.requireNonNull(listener, "listener"));
  }

  /** State, lag and last error, never null. */
  public IndexerStatus status() {
    return loop.status();
  }

  /** Stops consuming, commits the index with the positions reached, closes the consumer. */
  @Override
  public void close() {
    loop.stop(false);
    join();
  }

  /** Test hook: stops as a killed process would: no commit, consumer dropped. */
  void crash() {
    loop.stop(true);
    join();
  }

  private void join() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

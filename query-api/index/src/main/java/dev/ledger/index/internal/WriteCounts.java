package dev.ledger.index.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many writes the index has asked of Lucene, by kind: the write amplification of indexing,
 * which tests bound per record kind so that it cannot creep back (an append-only record is one
 * {@code addDocument}; a token is one {@code updateDocument} per indexing batch at most).
 */
public final class WriteCounts {

  private final LongAdder added = new LongAdder();
  private final LongAdder updated = new LongAdder();
  private final LongAdder deleted = new LongAdder();

  /** A snapshot of the counts. */
  public record Snapshot(long added, long updated, long deleted) {
    /** The writes between {@code earlier} and this snapshot. */
    public Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          added - earlier.added, updated - earlier.updated, deleted - earlier.deleted);
    }
  }

  public void added() {
    added.increment();
  }

  public void updated() {
    updated.increment();
  }

  public void deleted() {
    deleted.increment();
  }

  public Snapshot snapshot() {
    return new Snapshot(added.sum(), updated.sum(), deleted.sum());
  }
}

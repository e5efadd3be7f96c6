package dev.ledger.export.log.internal;

/**
 * The event-id hashes of a tenant's most recent leaves, so the notary drops a record it already
 * logged without keeping every id of the tenant in memory forever. Two generations of {@link
 * LongLongMap}: when the current one holds {@code window} ids it becomes the previous one and the
 * one before is dropped. So a duplicate is always caught when its first copy is among the last
 * {@code window} leaves (and sometimes up to 2 × {@code window} back), and memory stays below two
 * generations. Duplicates reach the notary when Kafka redelivers after a restart, which is never
 * that far back; the stream processor drops older ones before they are audited. Not thread-safe.
 */
public final class RecentIds {

  private final int window;
  private LongLongMap current = new LongLongMap(1024);
  private LongLongMap previous;

  /**
   * @param window ids remembered at least, positive
   */
  public RecentIds(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.window = window;
  }

  /** The leaf remembered for {@code hash}, or -1. */
  public long get(long hash) {
    long leaf = current.get(hash);
    return leaf >= 0 || previous == null ? leaf : previous.get(hash);
  }

  /** Remembers that leaf {@code leaf} holds the event id with {@code hash}. */
  public void put(long hash, long leaf) {
    if (current.size() >= window) {
      previous = current;
      current = new LongLongMap(1024);
    }
    current.put(hash, leaf);
  }

  /**
   * @return ids held now, at most 2 × window
   */
  public int size() {
    return current.size() + (previous == null ? 0 : previous.size());
  }
}

package dev.ledger.index;

/**
 * A snapshot of the {@link Indexer}, for {@code /health}.
 *
 * @param state where the indexer is
 * @param lag records on Kafka not yet indexed: the sum over partitions of (end offset - consumed
 *     position), -1 while unknown
 * @param lastError the last error's message, or null
 * @param documentsIndexed records indexed since start
 */
public record IndexerStatus(State state, long lag, String lastError, long documentsIndexed) {

  /** The life of an indexer. */
  public enum State {
    /** Assigning partitions and seeking to the offsets of the last index commit. */
    STARTING,
    /** Consuming; {@link IndexerStatus#lag()} says how far behind. */
    RUNNING,
    /** Stopped on an error it cannot recover from (see lastError); restart the process. */
    FAILED,
    /** Closed on purpose. */
    CLOSED
  }
}

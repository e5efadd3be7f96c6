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
    /**
     * Writing to the index fails (see lastError; a full disk, say): searches answer from what was
     * searchable before, nothing new is indexed, and the indexer tries again with a growing pause,
     * from the last commit, until a commit succeeds; then it is {@link #RUNNING} again, with the
     * records since that commit read again from Kafka.
     */
    DEGRADED,
    /** Stopped on an error it cannot recover from (see lastError); restart the process. */
    FAILED,
    /** Closed on purpose. */
    CLOSED
  }
}

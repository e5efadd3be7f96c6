package dev.ledger.index;

import java.util.Map;

/**
 * A snapshot of the {@link Indexer}, for {@code /health}.
 *
 * @param state where the indexer is
 * @param lag records on Kafka not yet indexed: the sum over partitions of (end offset - consumed
 *     position), -1 while unknown
 * @param lastError the last error's message, or null
 * @param documentsIndexed records indexed since start
 * @param lagByTopic the lag of each topic the indexer reads (the same sum, per topic), empty while
 *     unknown; never null. Two index instances behind a load balancer answer alike once both are at
 *     0 for the same records, and a topic lagging alone (a cascade's tokens behind its notices)
 *     shows here
 */
public record IndexerStatus(
    State state, long lag, String lastError, long documentsIndexed, Map<String, Long> lagByTopic) {

  public IndexerStatus {
    lagByTopic = Map.copyOf(lagByTopic);
  }

  /** A status without the per-topic lag (unknown). */
  public IndexerStatus(State state, long lag, String lastError, long documentsIndexed) {
    this(state, lag, lastError, documentsIndexed, Map.of());
  }

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

package dev.ledger.index;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@link Indexer} consumes and commits. Build with {@link #builder(String)}; every field
 * but bootstrapServers has a default.
 *
 * @param bootstrapServers Kafka bootstrap servers, never null
 * @param groupId used as the consumer's client id prefix; offsets live in the index, not the group
 * @param refreshInterval how stale a search may be at most (NRT reopen interval)
 * @param commitEveryRecords commit the index (and the offsets in it) after this many records
 * @param commitInterval ... or after this much time with uncommitted records, whichever first
 * @param partitionRecheckInterval how often to look for partitions added to the topics
 * @param writeRetryBackoff after a write error (a full disk), the first pause before the indexer
 *     tries again from the last commit; each failed try doubles it, up to {@link
 *     #MAX_WRITE_RETRY_BACKOFF} (or this, if longer)
 * @param consumerOverrides extra consumer properties (security, fetch sizes), may be empty
 */
public record IndexerSettings(
    String bootstrapServers,
    String groupId,
    Duration refreshInterval,
    int commitEveryRecords,
    Duration commitInterval,
    Duration partitionRecheckInterval,
    Duration writeRetryBackoff,
    Map<String, Object> consumerOverrides) {

  public static final String DEFAULT_GROUP_ID = "ledger-indexer";
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMillis(25);
  public static final int DEFAULT_COMMIT_EVERY_RECORDS = 50_000;
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_PARTITION_RECHECK_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WRITE_RETRY_BACKOFF = Duration.ofSeconds(1);

  /** The longest pause between two tries after a write error. */
  public static final Duration MAX_WRITE_RETRY_BACKOFF = Duration.ofSeconds(30);

  public IndexerSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    groupId = groupId == null ? DEFAULT_GROUP_ID : groupId;
    refreshInterval = positive(refreshInterval, DEFAULT_REFRESH_INTERVAL, "refreshInterval");
    commitInterval = positive(commitInterval, DEFAULT_COMMIT_INTERVAL, "commitInterval");
    partitionRecheckInterval =
        positive(
            partitionRecheckInterval,
            DEFAULT_PARTITION_RECHECK_INTERVAL,
            "partitionRecheckInterval");
    writeRetryBackoff =
        positive(writeRetryBackoff, DEFAULT_WRITE_RETRY_BACKOFF, "writeRetryBackoff");
    if (commitEveryRecords <= 0) {
      throw new IllegalArgumentException("commitEveryRecords must be > 0: " + commitEveryRecords);
    }
    consumerOverrides = consumerOverrides == null ? Map.of() : Map.copyOf(consumerOverrides);
  }

  /** Defaults for everything but the bootstrap servers. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  private static Duration positive(Duration d, Duration fallback, String name) {
    if (d == null) {
      return fallback;
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** Builds {@link IndexerSettings} with the defaults above. */
  public static final class Builder {
    private final String bootstrapServers;
    private String groupId = DEFAULT_GROUP_ID;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private int commitEveryRecords = DEFAULT_COMMIT_EVERY_RECORDS;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private Duration partitionRecheckInterval = DEFAULT_PARTITION_RECHECK_INTERVAL;
    private Duration writeRetryBackoff = DEFAULT_WRITE_RETRY_BACKOFF;
    private Map<String, Object> consumerOverrides = Map.of();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Builder groupId(String v) {
      groupId = v;
      return this;
    }

    public Builder refreshInterval(Duration v) {
      refreshInterval = v;
      return this;
    }

    public Builder commitEveryRecords(int v) {
      commitEveryRecords = v;
      return this;
    }

    public Builder commitInterval(Duration v) {
      commitInterval = v;
      return this;
    }

    public Builder partitionRecheckInterval(Duration v) {
      partitionRecheckInterval = v;
      return this;
    }

    public Builder writeRetryBackoff(Duration v) {
      writeRetryBackoff = v;
      return this;
    }

    public Builder consumerOverrides(Map<String, Object> v) {
      consumerOverrides = v;
      return this;
    }

    public IndexerSettings build() {
      return new IndexerSettings(
          bootstrapServers,
          groupId,
          refreshInterval,
          commitEveryRecords,
          commitInterval,
          partitionRecheckInterval,
          writeRetryBackoff,
          consumerOverrides);
    }
  }
}

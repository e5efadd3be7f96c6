package dev.ledger.export.log;

import dev.ledger.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Notary} runs.
 *
 * @param bootstrapServers Kafka bootstrap servers, never null
 * @param topic the audit topic, normally {@code ledger.audit}
 * @param checkpointEveryRecords sign a tenant's checkpoint once this many leaves wait (at least 1)
 * @param checkpointInterval or once this long has passed since its last one (positive)
 * @param pollTimeout how long one poll waits for records
 * @param consumerOverrides extra Kafka consumer properties (security settings and the like), never
 *     null
 * @param writeRetryBackoff after a write error (a full disk), the first pause before the notary
 *     tries again from the log's last commit (positive); each failed try doubles it, up to {@link
 *     #MAX_WRITE_RETRY_BACKOFF} (or this, if longer)
 * @param partitionRecheck how often the notary looks for partitions added to the topic while it
 *     runs, and reads them from their beginning (positive)
 */
public record NotaryConfig(
    String bootstrapServers,
    String topic,
    long checkpointEveryRecords,
    Duration checkpointInterval,
    Duration pollTimeout,
    Map<String, Object> consumerOverrides,
    Duration writeRetryBackoff,
    Duration partitionRecheck) {

  /** The first pause after a write error by default. */
  public static final Duration DEFAULT_WRITE_RETRY_BACKOFF = Duration.ofSeconds(1);

  /** The longest pause between two tries after a write error. */
  public static final Duration MAX_WRITE_RETRY_BACKOFF = Duration.ofSeconds(30);

  /**
   * How often the notary looks for added partitions by default: partitions are added by hand and
   * rarely, and each look is a metadata request.
   */
  public static final Duration DEFAULT_PARTITION_RECHECK = Duration.ofSeconds(30);

  public NotaryConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(writeRetryBackoff, "writeRetryBackoff");
    Objects.requireNonNull(partitionRecheck, "partitionRecheck");
    consumerOverrides = Map.copyOf(consumerOverrides);
    if (checkpointEveryRecords < 1
        || checkpointInterval.isNegative()
        || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpoints need a positive record count and interval");
    }
    if (writeRetryBackoff.isNegative() || writeRetryBackoff.isZero()) {
      throw new IllegalArgumentException(
          "writeRetryBackoff must be positive: " + writeRetryBackoff);
    }
    if (!partitionRecheck.isPositive()) {
      throw new IllegalArgumentException("partitionRecheck must be positive: " + partitionRecheck);
    }
  }

  /**
   * A config with the default pause after a write error ({@link #DEFAULT_WRITE_RETRY_BACKOFF}) and
   * the default look for added partitions ({@link #DEFAULT_PARTITION_RECHECK}).
   */
  public NotaryConfig(
      String bootstrapServers,
      String topic,
      long checkpointEveryRecords,
      Duration checkpointInterval,
      Duration pollTimeout,
      Map<String, Object> consumerOverrides) {
    this(
        bootstrapServers,
        topic,
        checkpointEveryRecords,
        checkpointInterval,
        pollTimeout,
        consumerOverrides,
        DEFAULT_WRITE_RETRY_BACKOFF,
        DEFAULT_PARTITION_RECHECK);
  }

  /**
   * Defaults: {@code ledger.audit}, a checkpoint every 10,000 records or 10 seconds, 200 ms polls,
   * 1 s before the first retry after a write error, added partitions looked for every 30 s.
   */
  public static NotaryConfig defaults(String bootstrapServers) {
    return new NotaryConfig(
        bootstrapServers,
        Topics.AUDIT.name(),
        10_000,
        Duration.ofSeconds(10),
        Duration.ofMillis(200),
        Map.of());
  }

  public NotaryConfig withCheckpoints(long everyRecords, Duration interval) {
    return new NotaryConfig(
        bootstrapServers,
        topic,
        everyRecords,
        interval,
        pollTimeout,
        consumerOverrides,
        writeRetryBackoff,
        partitionRecheck);
  }

  /** This config with {@code backoff} as the first pause after a write error. */
  public NotaryConfig withWriteRetryBackoff(Duration backoff) {
    return new NotaryConfig(
        bootstrapServers,
        topic,
        checkpointEveryRecords,
        checkpointInterval,
        pollTimeout,
        consumerOverrides,
        backoff,
        partitionRecheck);
  }

  /** This config looking for added partitions every {@code every}. */
  public NotaryConfig withPartitionRecheck(Duration every) {
    return new NotaryConfig(
        bootstrapServers,
        topic,
        checkpointEveryRecords,
        checkpointInterval,
        pollTimeout,
        consumerOverrides,
        writeRetryBackoff,
        every);
  }
}

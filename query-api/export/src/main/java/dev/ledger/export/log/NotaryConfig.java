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
 */
public record NotaryConfig(
    String bootstrapServers,
    String topic,
    long checkpointEveryRecords,
    Duration checkpointInterval,
    Duration pollTimeout,
    Map<String, Object> consumerOverrides) {

  public NotaryConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    consumerOverrides = Map.copyOf(consumerOverrides);
    if (checkpointEveryRecords < 1
        || checkpointInterval.isNegative()
        || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpoints need a positive record count and interval");
    }
  }

  /**
   * Defaults: {@code ledger.audit}, a checkpoint every 10,000 records or 10 seconds, 200 ms polls.
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
        bootstrapServers, topic, everyRecords, interval, pollTimeout, consumerOverrides);
  }
}

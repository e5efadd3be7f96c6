package dev.ledger.bench.fault;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * How many events the ledger has processed: the stream processor's committed offsets on {@code
 * ledger.events}, summed over partitions. Under exactly-once an offset is committed in the same
 * transaction as the event's audit record, so this counts audited events (plus copies sent again
 * around a fault, which the ledger drops), and it never goes back across a {@code kill -9}. While
 * the broker is down the last reading stands.
 */
final class ProcessedEvents implements LongSupplier, AutoCloseable {

  private final Admin admin;
  private final String group;
  private long last;

  /**
   * @param kafka how to reach the ledger's broker
   * @param group the stream processor's consumer group ({@code streams.application.id})
   */
  ProcessedEvents(KafkaClientSettings kafka, String group) {
    this.admin = Admin.create(kafka.config());
    this.group = group;
  }

  @Override
  public long getAsLong() {
    try {
      long sum =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS)
              .entrySet()
              .stream()
              .filter(e -> e.getKey().topic().equals(Topics.EVENTS.name()) && e.getValue() != null)
              .mapToLong(e -> e.getValue().offset())
              .sum();
      last = Math.max(last, sum);
    } catch (ExecutionException | TimeoutException e) {
      // The broker is restarting or busy: the last reading stands.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return last;
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}

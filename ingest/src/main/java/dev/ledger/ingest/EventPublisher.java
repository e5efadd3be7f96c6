package dev.ledger.ingest;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes validated events to {@code ledger.events}. Implementations are thread-safe.
 * {@link KafkaEventPublisher} is the real one.
 */
public interface EventPublisher extends AutoCloseable {

  /**
   * Publishes a batch atomically.
   *
   * @param events the events, never null or empty; the list is not modified
   * @return a future that completes when Kafka acknowledged every event, or completes exceptionally
   *     when none of them became visible to read_committed consumers
   */
  CompletableFuture<Void> publish(List<LedgerEvent> events);

  /** Releases the publisher; batches not yet sent fail. */
  @Override
  void close();
}

package dev.ledger.ingest;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes validated events to {@code ledger.events}. Implementations are thread-safe. {@link
 * KafkaEventPublisher} is the real one.
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

  /**
   * Publishes a batch atomically, recording who submitted it. The default ignores the submitter:
   * publishers that write to Kafka override it to put it in the {@code ledger.submitted_by} header
   * of every record ({@link dev.ledger.schemas.Topics#EVENTS_HEADER_SUBMITTED_BY}).
   *
   * @param submittedBy the id of the credential that submitted the batch; null for none
   */
  default CompletableFuture<Void> publish(List<LedgerEvent> events, String submittedBy) {
    return publish(events);
  }

  /** Releases the publisher; batches not yet sent fail. */
  @Override
  void close();
}

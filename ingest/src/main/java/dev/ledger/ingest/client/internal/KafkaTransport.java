package dev.ledger.ingest.client.internal;

import dev.ledger.ingest.EventPublisher;
import dev.ledger.ingest.client.LedgerClientException;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Straight to {@code ledger.events} through an {@link EventPublisher} (transactional: all or none
 * per attempt).
 */
public final class KafkaTransport implements Transport {

  private final EventPublisher publisher;
  private final Clock clock;
  private final Duration timeout;

  public KafkaTransport(EventPublisher publisher, Clock clock, Duration timeout) {
    this.publisher = publisher;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void deliver(List<LedgerEvent> events) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<LedgerEvent> stamped =
        events.stream().map(e -> LedgerEvent.newBuilder(e).setReceivedAt(now).build()).toList();
    try {
      publisher.publish(stamped).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new LedgerClientException(
          -1, true, "Kafka did not take the batch: " + cause.getMessage(), List.of(), cause);
    } catch (TimeoutException e) {
      throw new LedgerClientException(
          -1, true, "Kafka did not answer within " + timeout, List.of(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerClientException(-1, false, "interrupted while sending", List.of(), e);
    }
  }

  @Override
  public void close() {
    publisher.close();
  }
}

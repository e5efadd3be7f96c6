package dev.ledger.example;

import dev.ledger.schemas.avro.LedgerEvent;

/**
 * Where the example resource server sends its {@code token.used} events. {@link #report} must not
 * block the request that calls it: implementations queue and send elsewhere. Thread-safe.
 */
public interface UseReporter extends AutoCloseable {

  /**
   * Queues one event for the ledger.
   *
   * @param event a validated {@code token.used} event, never null
   * @return false if it was dropped (queue full or reporter closed)
   */
  boolean report(LedgerEvent event);

  /** Events the ledger acknowledged so far. */
  long delivered();

  /** Events given up on: dropped because the queue was full, or refused or failed after retries. */
  long lost();

  /** Sends what is queued (bounded wait), then releases the connection to the ledger. */
  @Override
  void close();
}

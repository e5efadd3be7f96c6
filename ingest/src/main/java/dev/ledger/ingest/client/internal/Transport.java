package dev.ledger.ingest.client.internal;

import dev.ledger.ingest.client.LedgerClientException;
import dev.ledger.schemas.avro.LedgerEvent;
import java.util.List;

/** One attempt to hand a batch to the ledger. */
public interface Transport extends AutoCloseable {

  /**
   * Delivers the batch once.
   *
   * @throws LedgerClientException when it was not taken; {@code retryable} says whether to try
   *     again
   */
  void deliver(List<LedgerEvent> events);

  @Override
  void close();
}

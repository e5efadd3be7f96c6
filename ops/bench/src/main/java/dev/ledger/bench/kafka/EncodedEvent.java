package dev.ledger.bench.kafka;

/**
 * One ledger event ready for {@code ledger.events}: its key and Avro value as bytes.
 *
 * @param eventId the event's id, to find its audit record later
 * @param tenant the event's tenant
 * @param key {@code tenant/token_id} as UTF-8
 * @param value the single-object-encoded {@code LedgerEvent}
 */
public record EncodedEvent(String eventId, String tenant, byte[] key, byte[] value) {

  /** Key plus value bytes, as the ceiling counts them. */
  public int size() {
    return key.length + value.length;
  }
}

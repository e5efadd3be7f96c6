package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Instant;

/**
 * The record time of an event (CONTRACT.md section 1): when the ledger accepted it. It travels in
 * the event's {@code received_at} field, which {@code POST /v1/events} (and the Java client's Kafka
 * transport) stamps once; stage 1 stamps an event that reached {@code ledger.events} without one
 * with the timestamp of its Kafka record. Both are part of the record on the retained topic, so
 * reprocessing from the beginning gives every event the same record time again, and every store and
 * internal topic that carries the event carries its record time with it.
 */
public final class RecordTime {

  private RecordTime() {}

  /**
   * Gives {@code event} its record time if it has none: the Kafka record's timestamp, else (a
   * record without one, timestamp -1) {@code now}.
   *
   * @return {@code event}, stamped in place (it was just decoded and is not shared)
   */
  public static LedgerEvent stamp(LedgerEvent event, long recordTimestamp, long now) {
    if (event.getReceivedAt() == null) {
      event.setReceivedAt(Instant.ofEpochMilli(recordTimestamp >= 0 ? recordTimestamp : now));
    }
    return event;
  }

  /**
   * The record time of {@code event}: its stamp, or {@code now} for an event never stamped (a
   * test's).
   */
  public static Instant of(LedgerEvent event, long now) {
    return event.getReceivedAt() != null ? event.getReceivedAt() : Instant.ofEpochMilli(now);
  }
}

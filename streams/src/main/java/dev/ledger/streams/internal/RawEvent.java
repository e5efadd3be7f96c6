package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.serde.AvroSerde;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * An event as read from {@code ledger.events}: the decoded record and the exact bytes it came in,
 * so a record that decodes but breaks the contract reaches the DLQ byte for byte as received.
 *
 * @param bytes the value as received, never null
 * @param event the decoded event, never null
 */
public record RawEvent(byte[] bytes, LedgerEvent event) implements ResolverInput {

  /** The one codec for {@link LedgerEvent} inside the topology. */
  public static final AvroSerde<LedgerEvent> EVENT_SERDE = AvroSerde.of(LedgerEvent.class);

  public RawEvent {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(event, "event");
  }

  /**
   * Decodes {@code ledger.events} values; undecodable bytes throw Kafka's SerializationException,
   * which the deserialization exception handler sends to the DLQ. A null value (tombstone) stays
   * null.
   */
  public static Deserializer<RawEvent> deserializer() {
    return (topic, bytes) -> bytes == null ? null : new RawEvent(bytes, EVENT_SERDE.decode(bytes));
  }
}

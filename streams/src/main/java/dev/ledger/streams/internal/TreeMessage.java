package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * An event on its way from stage 1 to the tree processor, keyed by {@code tenant/root_id}.
 *
 * @param event the accepted event, never null
 * @param audited true when stage 1 already wrote this event's audit record (a revocation of a
 *     token unknown for longer than the grace), so the tree processor must not write another
 */
public record TreeMessage(LedgerEvent event, boolean audited) {

  public TreeMessage {
    Objects.requireNonNull(event, "event");
  }

  public static final BinarySerde<TreeMessage> SERDE = new BinarySerde<>("TreeMessage",
      (m, out) -> {
        out.writeBoolean(m.audited());
        BinarySerde.writeBytes(out, RawEvent.EVENT_SERDE.encode(m.event()));
      },
      in -> {
        boolean audited = in.readBoolean();
        return new TreeMessage(RawEvent.EVENT_SERDE.decode(BinarySerde.readBytes(in)), audited);
      });

  /**
   * For the tree processor's definitions store, which held bare LedgerEvents (Avro single-object
   * encoding, {@code C3 01} first) before it kept the audited flag: reads both, writes the new form.
   */
  public static final Serde<TreeMessage> DEFINITION_SERDE = Serdes.serdeFrom(SERDE.serializer(),
      (topic, bytes) -> bytes != null && bytes.length > 1 && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01
          ? new TreeMessage(RawEvent.EVENT_SERDE.decode(bytes), false)
          : SERDE.decode(bytes));
}

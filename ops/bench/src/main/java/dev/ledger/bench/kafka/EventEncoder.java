package dev.ledger.bench.kafka;

import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns contract JSON events (one per line, as {@code ledger generate} writes them) into what the
 * ingest service would put on {@code ledger.events}: validated by {@link EventJson}, keyed by
 * {@link KafkaEventPublisher#keyOf}, encoded with the topic's serde. Not thread-safe.
 */
public final class EventEncoder {

  private final Serializer<LedgerEvent> serializer = Topics.EVENTS.valueSerde().serializer();

  /** Encodes one event; an invalid one throws {@link dev.ledger.ingest.InvalidEventException}. */
  public EncodedEvent encode(String json) {
    LedgerEvent event = EventJson.parse(json, Instant.now());
    String key = KafkaEventPublisher.keyOf(event);
    return new EncodedEvent(
        event.getEventId(),
        event.getTenant(),
        key.getBytes(StandardCharsets.UTF_8),
        serializer.serialize(Topics.EVENTS.name(), event));
  }

  /** Encodes up to {@code limit} events of {@code lines}. */
  public List<EncodedEvent> encodeAll(Iterable<String> lines, int limit) {
    List<EncodedEvent> out = new ArrayList<>();
    Iterator<String> it = lines.iterator();
    while (out.size() < limit && it.hasNext()) {
      out.add(encode(it.next()));
    }
    return out;
  }
}

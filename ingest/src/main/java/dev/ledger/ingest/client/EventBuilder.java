package dev.ledger.ingest.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.internal.Json;
import dev.ledger.ingest.internal.Rfc3339;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope shared by every event builder. A builder starts with a random {@code event_id} and
 * {@code occurred_at} = now; both may be replaced. Setting a value to null leaves the field out.
 * {@link #build()} validates with the same {@code EventValidator} the ledger uses, so an event that
 * builds is an event the ledger accepts.
 *
 * @param <B> the concrete builder, so setters chain
 */
public abstract sealed class EventBuilder<B extends EventBuilder<B>>
    permits TokenEventBuilder, UseEventBuilder, RevocationEventBuilder {

  private final ObjectNode event = Json.MAPPER.createObjectNode();

  /** The body object (token, use or revocation), filled by the subclass. */
  protected final ObjectNode body;

  EventBuilder(EventType type) {
    event.put("event_id", UUID.randomUUID().toString());
    event.put("type", type.wireName());
    event.put("occurred_at", Rfc3339.format(Instant.now()));
    body = event.putObject(type.bodyField());
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The idempotency key; keep it when retrying so the ledger counts the event once. */
  public B eventId(String eventId) {
    return put(event, "event_id", eventId);
  }

  /** When it happened at the source. */
  public B occurredAt(Instant occurredAt) {
    return put(event, "occurred_at", occurredAt);
  }

  /** The tenant; left out means {@code default}. */
  public B tenant(String tenant) {
    return put(event, "tenant", tenant);
  }

  /** The emitting system. */
  public B source(String source) {
    return put(event, "source", source);
  }

  /** The event as contract JSON (not validated). */
  public ObjectNode toJson() {
    return event.deepCopy();
  }

  /**
   * The validated event.
   *
   * @throws InvalidEventException with every problem when the event breaks the contract
   */
  public LedgerEvent build() {
    return EventJson.toAvro(event, null);
  }

  B put(ObjectNode target, String name, String value) {
    if (value == null) {
      target.remove(name);
    } else {
      target.put(name, value);
    }
    return self();
  }

  B put(ObjectNode target, String name, Instant value) {
    return put(target, name, value == null ? null : Rfc3339.format(value));
  }

  B put(ObjectNode target, String name, List<String> values) {
    if (values == null) {
      target.remove(name);
    } else {
      values.forEach(target.putArray(name)::add);
    }
    return self();
  }

  B putEntry(ObjectNode target, String map, String key, String value) {
    ObjectNode entries = target.has(map) ? (ObjectNode) target.get(map) : target.putObject(map);
    entries.put(key, value);
    return self();
  }

  B putAll(ObjectNode target, String map, Map<String, String> values) {
    target.remove(map);
    if (values != null) {
      values.forEach((k, v) -> putEntry(target, map, k, v));
    }
    return self();
  }
}

package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contract JSON of an audit record (CONTRACT.md section 4, plus the optional fields of the
 * Avro record): snake_case names, timestamps as RFC 3339 UTC strings ({@link Instant#toString()}),
 * absent optional fields left out, {@code chain}, {@code violations} and {@code attributes}
 * always present. It is what exports carry and, canonicalised, what the Merkle log hashes.
 */
public final class AuditRecordJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AuditRecordJson() {}

  /** The JSON object of {@code record} (not null). */
  public static ObjectNode of(AuditRecord record) {
    ObjectNode o = JSON.objectNode();
    o.put("event_id", record.getEventId());
    o.put("type", record.getType());
    o.put("occurred_at", time(record.getOccurredAt()));
    o.put("tenant", record.getTenant());
    o.put("token_id", record.getTokenId());
    optional(o, "principal", record.getPrincipal());
    optional(o, "actor", record.getActor());
    ArrayNode chain = o.putArray("chain");
    for (Hop hop : record.getChain()) {
      ObjectNode h = chain.addObject();
      h.put("token_id", hop.getTokenId());
      optional(h, "actor", hop.getActor());
      h.put("via", hop.getVia().name());
    }
    optional(o, "resource", record.getResource());
    optional(o, "action", record.getAction());
    optional(o, "outcome", record.getOutcome() == null ? null : record.getOutcome().name());
    ArrayNode violations = o.putArray("violations");
    for (ViolationKind v : record.getViolations()) {
      violations.add(v.name());
    }
    optional(o, "root_id", record.getRootId());
    optional(o, "parent_id", record.getParentId());
    optional(o, "source", record.getSource());
    optional(o, "reason", record.getReason());
    optional(o, "request_id", record.getRequestId());
    ObjectNode attributes = o.putObject("attributes");
    if (record.getAttributes() != null) {
      new TreeMap<>(record.getAttributes()).forEach((k, v) -> attributes.put(String.valueOf(k), String.valueOf(v)));
    }
    if (record.getRecordedAt() != null) {
      o.put("recorded_at", time(record.getRecordedAt()));
    }
    // Left out when null, like every optional field: records from before it existed hash as they did.
    optional(o, "submitted_by", record.getSubmittedBy());
    return o;
  }

  /** The timestamp form used throughout exports. */
  public static String time(Instant instant) {
    return instant.toString();
  }

  /** A text field of {@code record}, or null when absent or not text. */
  public static String text(JsonNode record, String field) {
    JsonNode v = record.get(field);
    return v == null || !v.isTextual() ? null : v.textValue();
  }

  private static void optional(ObjectNode o, String name, CharSequence value) {
    if (value != null) {
      o.put(name, value.toString());
    }
  }

  static Map<String, String> attributes(JsonNode record) {
    Map<String, String> out = new TreeMap<>();
    JsonNode a = record.get("attributes");
    if (a != null && a.isObject()) {
      a.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }
}

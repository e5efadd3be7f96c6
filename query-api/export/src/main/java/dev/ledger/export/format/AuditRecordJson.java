package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contract JSON of an audit record (CONTRACT.md section 4, plus the optional fields of the Avro
 * record): snake_case names, timestamps as RFC 3339 UTC strings ({@link Instant#toString()}),
 * absent optional fields left out, {@code chain}, {@code violations} and {@code attributes} always
 * present. It is what exports carry and, canonicalised, what the Merkle log hashes.
 *
 * <p>An amendment (a record with {@code amends}) has the same form plus the object {@code amends}:
 * {@code added}, {@code removed} (lists of violation kinds), {@code amended_at} and, when known,
 * {@code cause_event_id}, {@code cause_token_id}. A record without it is written exactly as before
 * amendments existed, so its leaf hash is unchanged.
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
    kinds(o.putArray("violations"), record.getViolations());
    optional(o, "root_id", record.getRootId());
    optional(o, "parent_id", record.getParentId());
    optional(o, "source", record.getSource());
    optional(o, "reason", record.getReason());
    optional(o, "request_id", record.getRequestId());
    ObjectNode attributes = o.putObject("attributes");
    if (record.getAttributes() != null) {
      new TreeMap<>(record.getAttributes())
          .forEach((k, v) -> attributes.put(String.valueOf(k), String.valueOf(v)));
    }
    if (record.getRecordedAt() != null) {
      o.put("recorded_at", time(record.getRecordedAt()));
    }
    AuditAmendment amends = record.getAmends();
    if (amends != null) {
      ObjectNode a = o.putObject("amends");
      kinds(a.putArray("added"), amends.getAdded());
      kinds(a.putArray("removed"), amends.getRemoved());
      if (amends.getRecordedViolations() != null) {
        kinds(a.putArray("recorded_violations"), amends.getRecordedViolations());
      }
      optional(a, "cause_event_id", amends.getCauseEventId());
      optional(a, "cause_token_id", amends.getCauseTokenId());
      a.put("amended_at", time(amends.getAmendedAt()));
    }
    // Left out when null, like every optional field: records from before it existed hash as they
    // did.
    optional(o, "submitted_by", record.getSubmittedBy());
    optional(o, "txn", record.getTxn());
    optional(o, "acti", record.getActi());
    return o;
  }

  /**
   * True when {@code record} (record JSON) is an amendment of the audit record with its event id.
   */
  public static boolean isAmendment(JsonNode record) {
    return record.path("amends").isObject();
  }

  /**
   * What identifies a leaf for the log's duplicate check: the identity of its event (tenant, token,
   * event id; {@link EventIdentity}); for an amendment, that and what it changes (cause, added,
   * removed), so that it is told apart from the record it amends and from other amendments of it,
   * and a replay of it is still caught.
   */
  public static String leafId(JsonNode record) {
    return leafId(
        new EventIdentity(
                text(record, "tenant"), text(record, "token_id"), text(record, "event_id"))
            .key(),
        record);
  }

  /**
   * {@link #leafId} as a log written before v1.10 hashed it: with the event id alone in place of
   * the identity. Its leaves are remembered under that, so a replay of one is looked up by it too.
   */
  public static String legacyLeafId(JsonNode record) {
    return leafId(text(record, "event_id"), record);
  }

  private static String leafId(String eventId, JsonNode record) {
    if (!isAmendment(record)) {
      return eventId;
    }
    JsonNode a = record.get("amends");
    return eventId
        + "\u0000amends\u0000"
        + text(a, "cause_event_id")
        + "\u0000"
        + CanonicalJson.string(a.path("added"))
        + "\u0000"
        + CanonicalJson.string(a.path("removed"));
  }

  private static void kinds(ArrayNode out, Iterable<ViolationKind> kinds) {
    for (ViolationKind v : kinds) {
      out.add(v.name());
    }
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

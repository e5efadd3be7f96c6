package dev.ledger.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ingest.internal.Json;
import dev.ledger.ingest.internal.Rfc3339;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationBody;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.UseBody;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps one contract JSON event (CONTRACT.md section 1) to the Avro {@link LedgerEvent} and back.
 * Timestamps become {@link Instant}s at millisecond precision; a missing tenant becomes {@code
 * default}. Rendering gives contract JSON: timestamps in UTC ({@code ...Z}), null and empty
 * optional fields left out, {@code received_at} left out (it is not part of the contract).
 */
public final class EventJson {

  private EventJson() {}

  /**
   * Validates one event and maps it.
   *
   * @param json one event object, never null
   * @param receivedAt the value of {@code received_at}, may be null
   * @throws InvalidEventException with every problem when the event is not valid JSON or breaks the
   *     contract
   */
  public static LedgerEvent parse(String json, Instant receivedAt) {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(List.of(new Problem(0, null, Json.describe(e))));
    }
    return toAvro(node, receivedAt);
  }

  /**
   * Validates one parsed event and maps it.
   *
   * @throws InvalidEventException with every problem when the event breaks the contract
   */
  public static LedgerEvent toAvro(JsonNode event, Instant receivedAt) {
    List<Problem> problems = EventValidator.validate(event, 0);
    if (!problems.isEmpty()) {
      throw new InvalidEventException(problems);
    }
    return map(event, receivedAt);
  }

  /**
   * Maps an event that {@link EventValidator} accepted; the result of anything else is unspecified.
   */
  static LedgerEvent map(JsonNode event, Instant receivedAt) {
    EventType type = EventType.fromWireName(event.get("type").textValue()).orElseThrow();
    String tenant = text(event, "tenant");
    LedgerEvent.Builder out =
        LedgerEvent.newBuilder()
            .setEventId(text(event, "event_id"))
            .setType(type.wireName())
            .setOccurredAt(time(event, "occurred_at"))
            .setTenant(tenant == null ? LedgerKey.DEFAULT_TENANT : tenant)
            .setSource(text(event, "source"))
            .setReceivedAt(receivedAt == null ? null : receivedAt.truncatedTo(ChronoUnit.MILLIS));
    JsonNode body = event.get(type.bodyField());
    switch (type) {
      case ISSUED, EXCHANGED, ATTENUATED -> out.setToken(token(body));
      case USED -> out.setUse(use(body));
      case REVOKED ->
          out.setRevocation(
              RevocationBody.newBuilder()
                  .setTokenId(text(body, "token_id"))
                  .setReason(text(body, "reason"))
                  .setRevokedBy(text(body, "revoked_by"))
                  .build());
    }
    return out.build();
  }

  private static TokenBody token(JsonNode body) {
    JsonNode maxUses = body.get("max_uses");
    return TokenBody.newBuilder()
        .setTokenId(text(body, "token_id"))
        .setParentTokenId(text(body, "parent_token_id"))
        .setIssuer(text(body, "issuer"))
        .setSubject(text(body, "subject"))
        .setActor(text(body, "actor"))
        .setAudience(strings(body, "audience"))
        .setScopes(strings(body, "scopes"))
        .setExpiresAt(time(body, "expires_at"))
        .setMaxUses(maxUses == null || maxUses.isNull() ? null : maxUses.longValue())
        .setGrant(text(body, "grant"))
        .setAttributes(stringMap(body, "attributes"))
        .setCaveats(orEmpty(strings(body, "caveats")))
        .setTxn(text(body, "txn"))
        .setActi(text(body, "acti"))
        .build();
  }

  private static UseBody use(JsonNode body) {
    return UseBody.newBuilder()
        .setTokenId(text(body, "token_id"))
        .setResource(text(body, "resource"))
        .setAction(text(body, "action"))
        .setOutcome(Outcome.valueOf(text(body, "outcome")))
        .setActor(text(body, "actor"))
        .setReason(text(body, "reason"))
        .setRequestId(text(body, "request_id"))
        .setAttributes(stringMap(body, "attributes"))
        .build();
  }

  /** The contract JSON of an event, as a tree. */
  public static ObjectNode toJsonNode(LedgerEvent event) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    put(out, "event_id", event.getEventId());
    put(out, "type", event.getType());
    put(out, "occurred_at", event.getOccurredAt());
    put(out, "tenant", event.getTenant());
    put(out, "source", event.getSource());
    if (event.getToken() != null) {
      TokenBody t = event.getToken();
      ObjectNode body = out.putObject("token");
      put(body, "token_id", t.getTokenId());
      put(body, "parent_token_id", t.getParentTokenId());
      put(body, "issuer", t.getIssuer());
      put(body, "subject", t.getSubject());
      put(body, "actor", t.getActor());
      put(body, "audience", t.getAudience());
      put(body, "scopes", t.getScopes());
      put(body, "expires_at", t.getExpiresAt());
      if (t.getMaxUses() != null) {
        // As Jackson reads it, so a parsed tree and a rendered one compare equal.
        long maxUses = t.getMaxUses();
        body.set(
            "max_uses",
            maxUses == (int) maxUses ? body.numberNode((int) maxUses) : body.numberNode(maxUses));
      }
      put(body, "grant", t.getGrant());
      put(body, "attributes", t.getAttributes());
      if (!t.getCaveats().isEmpty()) {
        put(body, "caveats", t.getCaveats());
      }
      put(body, "txn", t.getTxn());
      put(body, "acti", t.getActi());
    }
    if (event.getUse() != null) {
      UseBody u = event.getUse();
      ObjectNode body = out.putObject("use");
      put(body, "token_id", u.getTokenId());
      put(body, "resource", u.getResource());
      put(body, "action", u.getAction());
      put(body, "outcome", u.getOutcome().name());
      put(body, "actor", u.getActor());
      put(body, "reason", u.getReason());
      put(body, "request_id", u.getRequestId());
      put(body, "attributes", u.getAttributes());
    }
    if (event.getRevocation() != null) {
      RevocationBody r = event.getRevocation();
      ObjectNode body = out.putObject("revocation");
      put(body, "token_id", r.getTokenId());
      put(body, "reason", r.getReason());
      put(body, "revoked_by", r.getRevokedBy());
    }
    return out;
  }

  /** The contract JSON of an event, on one line (an NDJSON line without the newline). */
  public static String toJson(LedgerEvent event) {
    return toJsonNode(event).toString();
  }

  private static void put(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private static void put(ObjectNode out, String name, Instant value) {
    if (value != null) {
      out.put(name, Rfc3339.format(value));
    }
  }

  private static void put(ObjectNode out, String name, List<String> values) {
    if (values != null) {
      ArrayNode array = out.putArray(name);
      values.forEach(array::add);
    }
  }

  private static void put(ObjectNode out, String name, Map<String, String> values) {
    if (values != null && !values.isEmpty()) {
      ObjectNode map = out.putObject(name);
      values.forEach(map::put);
    }
  }

  private static String text(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value.textValue();
  }

  private static Instant time(JsonNode object, String name) {
    String text = text(object, name);
    return text == null ? null : Rfc3339.parse(text).orElseThrow();
  }

  private static List<String> strings(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>(value.size());
    value.forEach(item -> out.add(item.textValue()));
    return out;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static Map<String, String> stringMap(JsonNode object, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode value = object.get(name);
    if (value != null && !value.isNull()) {
      value.properties().forEach(e -> out.put(e.getKey(), e.getValue().textValue()));
    }
    return out;
  }
}

package dev.ledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ingest.internal.Rfc3339;
import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.EventRules;
import dev.ledger.schemas.EventRules.TokenField;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerIds;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.LedgerLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Every rule an event must follow before it reaches Kafka (CONTRACT.md section 1), in one place. It
 * reports every problem of every event, never only the first, so a producer can fix a batch in one
 * round trip. The rules are listed in ingest/README.md. Fields the contract does not name are
 * ignored (forward compatibility); they are not written to Kafka.
 *
 * <p>Sizes follow {@link LedgerLimits} (the overloads without one use {@link
 * LedgerLimits#DEFAULTS}). Stateless and thread-safe: use {@link #validate(List, LedgerLimits)} for
 * a batch (adds the duplicate event rule) or {@link #validate(JsonNode, int, LedgerLimits)} for one
 * event.
 */
public final class EventValidator {

  /**
   * Bound of the fields whose value is a keyword or a timestamp ({@code type}, {@code outcome},
   * {@code occurred_at}, ...): a parser's business, not a producer text limit.
   */
  private static final int MAX_KEYWORD_LENGTH = 64;

  private EventValidator() {}

  /**
   * Validates a batch: each event, then that no event repeats (same tenant, {@code token_id} and
   * {@code event_id}: the later index is reported) and no token is defined twice.
   *
   * @param events the parsed events in batch order; a null entry is skipped (it could not be parsed
   *     and was reported already)
   * @return every problem, in index order per event; empty when the batch is valid
   */
  public static List<Problem> validate(List<? extends JsonNode> events) {
    return validate(events, LedgerLimits.DEFAULTS);
  }

  /** As {@link #validate(List)}, with the given limits. */
  public static List<Problem> validate(List<? extends JsonNode> events, LedgerLimits limits) {
    List<Problem> problems = new ArrayList<>();
    validate(events, limits, problems::add);
    return problems;
  }

  /**
   * As {@link #validate(List, LedgerLimits)}, handing each problem to {@code sink} as it is found
   * (in index order), so a caller can keep only the first few of a huge batch.
   */
  public static void validate(
      List<? extends JsonNode> events, LedgerLimits limits, Consumer<Problem> sink) {
    Map<String, Integer> firstIndexOfEvent = new HashMap<>();
    Map<String, Integer> firstDefinition = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode event = events.get(i);
      if (event == null) {
        continue;
      }
      validate(event, i, limits).forEach(sink);
      EventType type = typeOf(event);
      LedgerKey token = type == null ? null : tokenOf(event, type);
      JsonNode id = event.isObject() ? event.get("event_id") : null;
      boolean repeated = false;
      if (token != null && id != null && id.isTextual()) {
        // One event is (tenant, token, event id), CONTRACT.md v1.10: the same event_id on another
        // token is another event.
        Integer first =
            firstIndexOfEvent.putIfAbsent(
                new EventIdentity(token.tenant(), token.tokenId(), id.textValue()).key(), i);
        if (first != null) {
          sink.accept(
              new Problem(
                  i,
                  "event_id",
                  "duplicates event "
                      + first
                      + " in this batch (same tenant, token_id and event_id)"));
          repeated = true;
        }
      }
      // A repeated event is one problem, not also a second definition.
      if (!repeated && token != null && type.isTokenType()) {
        Integer first = firstDefinition.putIfAbsent(token.toString(), i);
        if (first != null) {
          // Caught here because it is cheap; across batches the stream processor sends it to
          // ledger.dlq.
          sink.accept(
              new Problem(
                  i,
                  "token.token_id",
                  "token is already defined by event "
                      + first
                      + " in this batch; a token is issued, exchanged or attenuated once"));
        }
      }
    }
  }

  /** The event's type, or null when it has none this version knows. */
  private static EventType typeOf(JsonNode event) {
    JsonNode type = event.isObject() ? event.get("type") : null;
    return type == null || !type.isTextual()
        ? null
        : EventType.fromWireName(type.textValue()).orElse(null);
  }

  /**
   * {@code tenant/token_id} of the token the event is about (its body's {@code token_id}); null
   * when unreadable, which the event's own checks report.
   */
  private static LedgerKey tokenOf(JsonNode event, EventType type) {
    JsonNode body = event.get(type.bodyField());
    JsonNode tokenId = body == null ? null : body.get("token_id");
    if (tokenId == null || !tokenId.isTextual() || tokenId.textValue().isEmpty()) {
      return null;
    }
    JsonNode tenant = event.get("tenant");
    String name =
        tenant != null && tenant.isTextual() ? tenant.textValue() : LedgerKey.DEFAULT_TENANT;
    return name.isEmpty() || name.indexOf('/') >= 0
        ? null
        : LedgerKey.of(name, tokenId.textValue());
  }

  /** Validates one event at position {@code index}; never throws for any JSON value. */
  public static List<Problem> validate(JsonNode event, int index) {
    return validate(event, index, LedgerLimits.DEFAULTS);
  }

  /** As {@link #validate(JsonNode, int)}, with the given limits. */
  public static List<Problem> validate(JsonNode event, int index, LedgerLimits limits) {
    Check check = new Check(index, limits);
    if (event == null || !event.isObject()) {
      check.add(null, "must be a JSON object");
      return check.problems;
    }
    int chars = textSize(event);
    if (chars > limits.maxEventChars()) {
      check.add(
          null,
          "is too large: " + chars + " characters of text, at most " + limits.maxEventChars());
      return check.problems;
    }
    check.id(event, "", "event_id", limits.maxEventIdLength());
    Optional<EventType> type = check.type(event);
    check.timestamp(event, "", "occurred_at", true);
    String tenant = check.text(event, "", "tenant", false, limits.maxTenantLength());
    if (tenant != null && !LedgerKey.hasTenantCharacters(tenant)) {
      check.add("tenant", "may only contain " + LedgerKey.TENANT_CHARACTERS);
    }
    check.text(event, "", "source", false, limits.maxTextLength());
    type.ifPresent(t -> check.body(event, t));
    return check.problems;
  }

  /** Characters of every name and text value, to bound the size of one event. */
  private static int textSize(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().length();
    }
    int size = node.isContainerNode() ? 2 : node.asText().length();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      size += field.getKey().length() + textSize(field.getValue());
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        size += textSize(item);
      }
    }
    return size;
  }

  /** The problems of one event, and the checks that add them. */
  private static final class Check {
    private final int index;
    private final LedgerLimits limits;
    private final int maxText;
    private final List<Problem> problems = new ArrayList<>();

    Check(int index, LedgerLimits limits) {
      this.index = index;
      this.limits = limits;
      this.maxText = limits.maxTextLength();
    }

    void add(String field, String reason) {
      problems.add(new Problem(index, field, reason));
    }

    /** The problem of an unknown type: every wire name, from the one enum that defines them. */
    private static final String TYPES =
        "must be one of "
            + Arrays.stream(EventType.values())
                .map(EventType::wireName)
                .collect(Collectors.joining(", "));

    Optional<EventType> type(JsonNode event) {
      String name = text(event, "", "type", true, MAX_KEYWORD_LENGTH);
      if (name == null) {
        return Optional.empty();
      }
      Optional<EventType> type = EventType.fromWireName(name);
      if (type.isEmpty()) {
        add("type", TYPES);
      }
      return type;
    }

    void body(JsonNode event, EventType type) {
      for (String other : EventType.BODY_FIELDS) {
        if (!other.equals(type.bodyField()) && present(event, other) != null) {
          add(
              other,
              "does not belong to a "
                  + type.wireName()
                  + " event (its body is '"
                  + type.bodyField()
                  + "')");
        }
      }
      JsonNode body = present(event, type.bodyField());
      String at = type.bodyField() + ".";
      if (body == null) {
        add(type.bodyField(), "is required for a " + type.wireName() + " event");
        return;
      }
      if (!body.isObject()) {
        add(type.bodyField(), "must be an object");
        return;
      }
      switch (type) {
        case ISSUED, EXCHANGED, ATTENUATED -> token(body, type, at);
        case USED -> use(body, at);
        case REVOKED -> revocation(body, at);
      }
    }

    /** A token body; which fields each type requires is {@link EventRules}'s. */
    private void token(JsonNode body, EventType type, String at) {
      String tokenId = id(body, at, "token_id", limits.maxTokenIdLength());
      if (!EventRules.hasParent(type)) {
        if (present(body, "parent_token_id") != null) {
          add(at + "parent_token_id", EventRules.whyRootParentRefused());
        }
      } else {
        String parent = id(body, at, "parent_token_id", limits.maxTokenIdLength());
        EventRules.whyParentRefused(tokenId, parent)
            .ifPresent(reason -> add(at + "parent_token_id", reason));
      }
      text(body, at, "issuer", TokenField.ISSUER.isRequiredBy(type), maxText);
      text(body, at, "subject", TokenField.SUBJECT.isRequiredBy(type), maxText);
      text(body, at, "actor", TokenField.ACTOR.isRequiredBy(type), maxText);
      List<String> audience = strings(body, at, "audience", TokenField.AUDIENCE.isRequiredBy(type));
      if (audience != null) {
        EventRules.whyAudienceRefused(type, audience.size())
            .ifPresent(reason -> add(at + "audience", reason));
      }
      strings(body, at, "scopes", TokenField.SCOPES.isRequiredBy(type));
      timestamp(body, at, "expires_at", false);
      positiveLong(body, at, "max_uses");
      text(body, at, "grant", false, maxText);
      stringMap(body, at, "attributes");
      strings(body, at, "caveats", false);
      text(body, at, "txn", false, maxText);
      text(body, at, "acti", false, maxText);
    }

    private void use(JsonNode body, String at) {
      id(body, at, "token_id", limits.maxTokenIdLength());
      text(body, at, "resource", true, maxText);
      text(body, at, "action", true, maxText);
      String outcome = text(body, at, "outcome", true, MAX_KEYWORD_LENGTH);
      if (outcome != null && !EventRules.OUTCOMES.contains(outcome)) {
        add(at + "outcome", "must be " + String.join(" or ", EventRules.OUTCOMES));
      }
      text(body, at, "actor", false, maxText);
      text(body, at, "reason", false, maxText);
      text(body, at, "request_id", false, maxText);
      stringMap(body, at, "attributes");
    }

    private void revocation(JsonNode body, String at) {
      id(body, at, "token_id", limits.maxTokenIdLength());
      text(body, at, "reason", false, maxText);
      text(body, at, "revoked_by", false, maxText);
    }

    /** The string value, or null (with a problem when it was required or not a valid string). */
    String text(JsonNode object, String at, String name, boolean required, int maxLength) {
      JsonNode value = present(object, name);
      if (value == null) {
        if (required) {
          add(at + name, "is required");
        }
        return null;
      }
      return checkText(value, at + name, maxLength);
    }

    /** A required id: text that also follows {@link LedgerIds}; null when it does not. */
    String id(JsonNode object, String at, String name, int maxLength) {
      String id = text(object, at, name, true, maxLength);
      if (id == null) {
        return null;
      }
      Optional<String> refused = LedgerIds.whyRefused(id);
      refused.ifPresent(reason -> add(at + name, reason));
      return refused.isEmpty() ? id : null;
    }

    private String checkText(JsonNode value, String field, int maxLength) {
      if (!value.isTextual()) {
        add(field, "must be a string, not " + kind(value));
        return null;
      }
      String text = value.textValue();
      Optional<String> empty = EventRules.whyEmpty(text);
      if (empty.isPresent()) {
        add(field, empty.get());
        return null;
      }
      Optional<String> tooLong = LedgerLimits.whyTooLong(text, maxLength);
      if (tooLong.isPresent()) {
        add(field, tooLong.get());
        return null;
      }
      return text;
    }

    void timestamp(JsonNode object, String at, String name, boolean required) {
      String text = text(object, at, name, required, MAX_KEYWORD_LENGTH);
      if (text != null && Rfc3339.parse(text).isEmpty()) {
        add(
            at + name,
            "must be an RFC 3339 timestamp with seconds and an offset, like 2026-11-20T09:00:00Z");
      }
    }

    /** The list of strings, or null when absent or not an array (with a problem as for text). */
    List<String> strings(JsonNode object, String at, String name, boolean required) {
      JsonNode value = present(object, name);
      if (value == null) {
        if (required) {
          add(at + name, "is required");
        }
        return null;
      }
      if (!value.isArray()) {
        add(at + name, "must be an array of strings, not " + kind(value));
        return null;
      }
      Optional<String> tooMany =
          LedgerLimits.whyTooMany(value.size(), limits.maxListItems(), "items");
      if (tooMany.isPresent()) {
        add(at + name, tooMany.get());
        return null;
      }
      List<String> items = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        String item = checkText(value.get(i), at + name + "[" + i + "]", maxText);
        if (item != null) {
          items.add(item);
        }
      }
      return items;
    }

    void stringMap(JsonNode object, String at, String name) {
      JsonNode value = present(object, name);
      if (value == null) {
        return;
      }
      if (!value.isObject()) {
        add(at + name, "must be an object of string values, not " + kind(value));
        return;
      }
      Optional<String> tooMany =
          LedgerLimits.whyTooMany(value.size(), limits.maxAttributes(), "entries");
      if (tooMany.isPresent()) {
        add(at + name, tooMany.get());
        return;
      }
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        String field = at + name + "." + entry.getKey();
        if (entry.getKey().isEmpty() || entry.getKey().length() > limits.maxAttributeKeyLength()) {
          add(field, "a key must be 1.." + limits.maxAttributeKeyLength() + " characters");
        }
        checkText(entry.getValue(), field, maxText);
      }
    }

    void positiveLong(JsonNode object, String at, String name) {
      JsonNode value = present(object, name);
      if (value == null) {
        return;
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        add(
            at + name,
            "must be a whole number from 1 to " + Long.MAX_VALUE + ", not " + kind(value));
      } else {
        EventRules.whyMaxUsesRefused(value.longValue()).ifPresent(reason -> add(at + name, reason));
      }
    }

    /** The field's value; null when absent or JSON null (both mean "not given"). */
    private static JsonNode present(JsonNode object, String name) {
      JsonNode value = object.get(name);
      return value == null || value.isNull() ? null : value;
    }

    private static String kind(JsonNode value) {
      return switch (value.getNodeType()) {
        case STRING -> "a string";
        case NUMBER ->
            value.isIntegralNumber() ? "the number " + abbreviate(value.asText()) : "a fraction";
        case BOOLEAN -> "a boolean";
        case ARRAY -> "an array";
        case OBJECT -> "an object";
        default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
      };
    }

    private static String abbreviate(String text) {
      return text.length() <= 24 ? text : text.substring(0, 21) + "...";
    }
  }
}

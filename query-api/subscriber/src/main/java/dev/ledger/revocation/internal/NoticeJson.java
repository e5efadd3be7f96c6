package dev.ledger.revocation.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ledger.revocation.Revocation;
import dev.ledger.schemas.LedgerKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON of the SSE stream's events: a revocation notice (snake_case fields of {@code
 * RevocationNotice}, timestamps RFC 3339) or a tombstone ({@code tenant}, {@code token_id}). Only
 * the fields a {@link Revocation} needs are read; others are ignored. Malformed JSON and every
 * problem with the fields throw {@link IllegalArgumentException} (listing all of them), which the
 * SSE source logs and skips.
 *
 * <p>Jackson, because Avro already brings {@code jackson-core} and {@code jackson-databind} to
 * every resource server: it widens nothing they pull in. A notice is one SSE event (well under a
 * kilobyte), so a tree is read whole.
 */
final class NoticeJson {

  /** Strict: one object per event, nothing after it (Jackson ignores trailing text by default). */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private NoticeJson() {}

  static Revocation revocation(String json) {
    JsonNode m = object(json);
    List<String> problems = new ArrayList<>();
    String tenant = string(m, "tenant", true, problems);
    String tokenId = string(m, "token_id", true, problems);
    Instant revokedAt = instant(m, "revoked_at", true, problems);
    String cause = string(m, "revocation_cause", false, problems);
    Instant expiresAt = instant(m, "expires_at", false, problems);
    check(problems);
    return new Revocation(tenant, tokenId, revokedAt, cause == null ? tokenId : cause, expiresAt);
  }

  static LedgerKey tombstone(String json) {
    JsonNode m = object(json);
    List<String> problems = new ArrayList<>();
    String tenant = string(m, "tenant", true, problems);
    String tokenId = string(m, "token_id", true, problems);
    check(problems);
    try {
      return LedgerKey.of(tenant, tokenId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad tombstone: " + e.getMessage(), e);
    }
  }

  /** The event's data as a JSON object; anything else is malformed. */
  private static JsonNode object(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("malformed JSON: expected an object");
    }
    return node;
  }

  private static void check(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The field's value, or null (and a problem if it is required) when absent or JSON null. */
  private static JsonNode present(
      JsonNode m, String field, boolean required, List<String> problems) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(field + " is required");
      }
      return null;
    }
    return v;
  }

  private static String string(JsonNode m, String field, boolean required, List<String> problems) {
    JsonNode v = present(m, field, required, problems);
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || v.textValue().isEmpty()) {
      problems.add(field + " must be a non-empty string");
      return null;
    }
    return v.textValue();
  }

  private static Instant instant(
      JsonNode m, String field, boolean required, List<String> problems) {
    JsonNode v = present(m, field, required, problems);
    if (v == null) {
      return null;
    }
    // Epoch milliseconds, the unit of the Avro notice, are taken as well as RFC 3339 text.
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Instant.ofEpochMilli(v.longValue());
    }
    if (v.isTextual()) {
      try {
        return OffsetDateTime.parse(v.textValue()).toInstant();
      } catch (DateTimeParseException e) {
        problems.add(field + " is not an RFC 3339 timestamp: " + v.textValue());
        return null;
      }
    }
    problems.add(field + " must be an RFC 3339 timestamp");
    return null;
  }
}

package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import dev.ledger.schemas.LedgerKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of the SSE stream's events: a revocation notice (snake_case fields of {@code
 * RevocationNotice}, timestamps RFC 3339) or a tombstone ({@code tenant}, {@code token_id}). Only
 * the fields a {@link Revocation} needs are read; others are ignored. Problems throw {@link
 * IllegalArgumentException} listing all of them.
 */
final class NoticeJson {

  private NoticeJson() {}

  static Revocation revocation(String json) {
    Map<String, Object> m = JsonReader.parseObject(json);
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
    Map<String, Object> m = JsonReader.parseObject(json);
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

  private static void check(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The field's value, or null (and a problem if it is required) when absent or JSON null. */
  private static Object present(
      Map<String, Object> m, String field, boolean required, List<String> problems) {
    Object v = m.get(field);
    if (v == null && required) {
      problems.add(field + " is required");
    }
    return v;
  }

  private static String string(
      Map<String, Object> m, String field, boolean required, List<String> problems) {
    Object v = present(m, field, required, problems);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      problems.add(field + " must be a non-empty string");
      return null;
    }
    return s;
  }

  private static Instant instant(
      Map<String, Object> m, String field, boolean required, List<String> problems) {
    Object v = present(m, field, required, problems);
    if (v == null) {
      return null;
    }
    if (v instanceof Long millis) {
      return Instant.ofEpochMilli(millis);
    }
    if (v instanceof String s) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        problems.add(field + " is not an RFC 3339 timestamp: " + s);
        return null;
      }
    }
    problems.add(field + " must be an RFC 3339 timestamp");
    return null;
  }
}

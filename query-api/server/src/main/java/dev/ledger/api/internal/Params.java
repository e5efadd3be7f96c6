package dev.ledger.api.internal;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads query parameters, answering 400 that names the parameter when one cannot be used. */
public final class Params {
  /** Page size when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = 100;

  /** Largest accepted {@code limit}. */
  public static final int MAX_LIMIT = 1000;

  private Params() {}

  /**
   * @return the parameter stripped, or null when absent or blank
   */
  public static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * @return {@code limit}, 1..{@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}
   */
  public static int limit(Context ctx) {
    String value = text(ctx, "limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badParameter(
        "limit", "expected an integer from 1 to " + MAX_LIMIT + ", got '" + value + "'");
  }

  /**
   * @return an RFC 3339 timestamp parameter ({@code 2026-11-20T09:30:00Z}, any offset), or null
   *     when absent
   */
  public static Instant instant(Context ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(value).toInstant();
      // The index keeps times as epoch milliseconds: a year like +999999999 parses but does not
      // fit.
      instant.toEpochMilli();
      return instant;
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiError.badParameter(
          name, "expected an RFC 3339 timestamp like 2026-11-20T09:30:00Z, got '" + value + "'");
    }
  }

  /**
   * @return a parameter that must be one of {@code allowed} (case-sensitive), or null when absent
   */
  public static String oneOf(Context ctx, String name, java.util.Collection<String> allowed) {
    String value = text(ctx, name);
    if (value != null && !allowed.contains(value)) {
      throw ApiError.badParameter(
          name, "expected one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
    return value;
  }
}

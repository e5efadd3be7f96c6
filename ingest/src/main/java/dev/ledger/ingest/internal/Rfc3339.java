package dev.ledger.ingest.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RFC 3339 timestamps ({@code 2026-11-20T09:00:00Z}, {@code 2026-11-20T11:00:00.5+02:00}). The
 * pattern is checked first because {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} also takes forms
 * RFC 3339 forbids (no seconds, offsets with seconds).
 */
public final class Rfc3339 {

  private static final Pattern SHAPE =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private Rfc3339() {}

  /**
   * The instant, truncated to milliseconds (the precision of the Avro schema); empty if not RFC
   * 3339.
   */
  public static Optional<Instant> parse(String text) {
    if (text == null || !SHAPE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      Instant instant =
          OffsetDateTime.parse(
                  text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant();
      return Optional.of(instant.truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The canonical UTC form, e.g. {@code 2026-11-20T09:00:00Z}. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}

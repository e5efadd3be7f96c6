package dev.ledger.export;

import dev.ledger.schemas.LedgerKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What to export: the records of {@code tenant} committed in {@code [from, to)}, in {@code format},
 * with a consistency proof from the log of size {@code previousTreeSize} the auditor already holds.
 *
 * @param tenant never null
 * @param from inclusive commit-time bound, null for the beginning of the log
 * @param to exclusive commit-time bound, null for the newest checkpoint
 * @param format never null
 * @param previousTreeSize tree size of the auditor's previous checkpoint, null for none
 */
public record ExportRequest(
    String tenant, Instant from, Instant to, ExportFormat format, Long previousTreeSize) {

  /**
   * Builds a request from text parameters (query string or command line), checking all of them at
   * once: throws {@link ExportException} ({@code BAD_REQUEST}) listing every bad one. Only {@code
   * tenant} is required; {@code format} defaults to ndjson.
   */
  public static ExportRequest parse(
      String tenant, String from, String to, String format, String previousTreeSize) {
    List<String> problems = new ArrayList<>();
    if (!LedgerKey.isTenantName(tenant)) {
      problems.add("tenant: must be " + LedgerKey.tenantRule());
    }
    Instant f = time("from", from, problems);
    Instant t = time("to", to, problems);
    if (f != null && t != null && !f.isBefore(t)) {
      problems.add("to: must be after from");
    }
    ExportFormat fmt =
        format == null || format.isBlank() ? ExportFormat.NDJSON : ExportFormat.parse(format);
    if (fmt == null) {
      problems.add("format: must be one of ndjson, csv, ocsf");
    }
    Long previous = null;
    if (previousTreeSize != null && !previousTreeSize.isBlank()) {
      try {
        previous = Long.parseLong(previousTreeSize.strip());
        if (previous < 0) {
          problems.add("previous_tree_size: must not be negative");
        }
      } catch (NumberFormatException e) {
        problems.add("previous_tree_size: not an integer");
      }
    }
    if (!problems.isEmpty()) {
      throw new ExportException(
          ExportException.Kind.BAD_REQUEST, "invalid export request", problems);
    }
    return new ExportRequest(tenant, f, t, fmt, previous);
  }

  private static Instant time(String name, String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      problems.add(name + ": not an RFC 3339 UTC timestamp (e.g. 2026-11-20T09:00:00Z)");
      return null;
    }
  }
}

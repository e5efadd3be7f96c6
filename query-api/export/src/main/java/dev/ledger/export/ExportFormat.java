package dev.ledger.export;

import java.util.Locale;

/** The file formats of an export. Only {@link #NDJSON} carries the integrity proofs. */
public enum ExportFormat {
  /**
   * Header with the signed checkpoint and proofs, one line per record, trailer (docs/exports.md).
   */
  NDJSON("application/x-ndjson", "ndjson"),
  /**
   * One row per record with its leaf index and leaf hash, to match against a verified NDJSON
   * export.
   */
  CSV("text/csv; charset=utf-8", "csv"),
  /** One OCSF 1.1 event per line. */
  OCSF("application/x-ndjson", "ocsf.ndjson");

  private final String contentType;
  private final String extension;

  ExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** The format named {@code name} (any case), or null if there is none. */
  public static ExportFormat parse(String name) {
    for (ExportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return f;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.ledger.export;

import java.util.List;

/**
 * An export that cannot be made, raised before any byte is written: {@link Kind#BAD_REQUEST} (an
 * HTTP 400, {@link #details()} lists every problem) or {@link Kind#NOT_FOUND} (404: the tenant has
 * no signed checkpoint yet).
 */
public final class ExportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    BAD_REQUEST,
    NOT_FOUND
  }

  private final Kind kind;
  private final transient List<String> details;

  public ExportException(Kind kind, String message, List<String> details) {
    super(message);
    this.kind = kind;
    this.details = List.copyOf(details);
  }

  public Kind kind() {
    return kind;
  }

  /** Every problem found, never null. */
  public List<String> details() {
    return details;
  }
}

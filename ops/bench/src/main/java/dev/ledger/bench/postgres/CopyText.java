package dev.ledger.bench.postgres;

import java.time.Instant;
import java.util.Collection;

/**
 * Writes rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash
 * escapes), including {@code text[]} array literals. Not thread-safe; reuse with {@link #clear()}.
 */
public final class CopyText {

  private final StringBuilder out = new StringBuilder(1 << 16);
  private boolean firstColumn = true;

  /** Adds a text column (null becomes NULL). */
  public CopyText text(String value) {
    separator();
    if (value == null) {
      out.append("\\N");
    } else {
      escape(value);
    }
    return this;
  }

  /** Adds a number column. */
  public CopyText number(long value) {
    separator();
    out.append(value);
    return this;
  }

  /** Adds a timestamptz column (null becomes NULL). */
  public CopyText time(Instant value) {
    return text(value == null ? null : value.toString());
  }

  /** Adds a text[] column: every element quoted, so any character is safe. */
  public CopyText array(Collection<?> values) {
    StringBuilder literal = new StringBuilder("{");
    for (Object v : values) {
      if (literal.length() > 1) {
        literal.append(',');
      }
      literal
          .append('"')
          .append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return text(literal.append('}').toString());
  }

  /** Ends the current row. */
  public CopyText endRow() {
    out.append('\n');
    firstColumn = true;
    return this;
  }

  /** Characters written since the last clear. */
  public int length() {
    return out.length();
  }

  @Override
  public String toString() {
    return out.toString();
  }

  public void clear() {
    out.setLength(0);
    firstColumn = true;
  }

  private void separator() {
    if (!firstColumn) {
      out.append('\t');
    }
    firstColumn = false;
  }

  private void escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }
}

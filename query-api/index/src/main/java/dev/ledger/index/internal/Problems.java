package dev.ledger.index.internal;

import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.FieldDoc;

/**
 * Collects every problem of one query's input, so the caller gets them all in one {@link
 * InvalidQueryException} rather than the first.
 */
public final class Problems {

  private final List<InvalidQueryException.Problem> problems = new ArrayList<>();

  public void add(String parameter, String message) {
    problems.add(new InvalidQueryException.Problem(parameter, message));
  }

  /** Checks the limit and reads the cursor; null for the first page or a bad cursor (recorded). */
  public FieldDoc page(PageRequest page, String list) {
    if (page.limit() < PageRequest.MIN_LIMIT || page.limit() > PageRequest.MAX_LIMIT) {
      add(
          "limit",
          "must be "
              + PageRequest.MIN_LIMIT
              + ".."
              + PageRequest.MAX_LIMIT
              + ", was "
              + page.limit());
    }
    if (page.cursor() == null) {
      return null;
    }
    try {
      return Cursor.decode(page.cursor(), list).toFieldDoc();
    } catch (IllegalArgumentException e) {
      add("cursor", e.getMessage());
      return null;
    }
  }

  /** Checks that a time window is not empty. */
  public void window(Instant from, Instant to) {
    if (from != null && to != null && !from.isBefore(to)) {
      add("from", "must be before to (from is inclusive, to exclusive)");
    }
  }

  /** Throws if any problem was found. */
  public void throwIfAny() throws InvalidQueryException {
    if (!problems.isEmpty()) {
      throw new InvalidQueryException(problems);
    }
  }
}

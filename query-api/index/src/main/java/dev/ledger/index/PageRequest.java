package dev.ledger.index;

/**
 * One page of a list: at most {@code limit} items after {@code cursor}. The record accepts any
 * value; {@link LedgerIndex} validates it and answers an out-of-range limit or a malformed cursor
 * with {@link InvalidQueryException} (parameter {@code limit} or {@code cursor}).
 *
 * @param limit items per page, {@value #MIN_LIMIT}..{@value #MAX_LIMIT}
 * @param cursor null for the first page, else an opaque {@link Page#nextCursor()} of the same list
 */
public record PageRequest(int limit, String cursor) {

  /** The smallest page. */
  public static final int MIN_LIMIT = 1;

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The page size the HTTP API uses when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /** The first page of {@code limit} items. */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, null);
  }
}

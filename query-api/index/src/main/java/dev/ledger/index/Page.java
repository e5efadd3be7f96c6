package dev.ledger.index;

import java.util.List;

/**
 * One page of a list, newest first (revocationsAfter excepted).
 *
 * @param items the items of this page, never null
 * @param nextCursor the cursor for the next page, or null when there is no more
 * @param <T> item type
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}

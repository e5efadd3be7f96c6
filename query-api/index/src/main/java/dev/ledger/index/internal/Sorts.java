package dev.ledger.index.internal;

import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/** The sorts of the index. */
public final class Sorts {

  /**
   * Newest first, ties by unique id. It is also the index sort, so a search with it visits
   * documents in this order and stops once a page is full.
   */
  public static final Sort NEWEST_FIRST =
      new Sort(
          new SortField(Fields.TIME, SortField.Type.LONG, true),
          new SortField(Fields.ID, SortField.Type.STRING));

  /**
   * Oldest first, ties by unique id: a token's history. Not the index sort, so it sorts every match
   * (a token's events).
   */
  public static final Sort OLDEST_FIRST =
      new Sort(
          new SortField(Fields.TIME, SortField.Type.LONG),
          new SortField(Fields.ID, SortField.Type.STRING));

  /** Revocation sequence ascending, for SSE resumption. */
  public static final Sort SEQUENCE = new Sort(new SortField(Fields.SEQ, SortField.Type.LONG));

  private Sorts() {}
}

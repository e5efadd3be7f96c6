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

  /**
   * Revocation records' place ascending, partition then offset, for SSE resumption: each partition
   * in its topic order (no order across partitions is needed).
   */
  public static final Sort TOPIC_ORDER =
      new Sort(
          new SortField(Fields.REV_PARTITION, SortField.Type.INT),
          new SortField(Fields.REV_OFFSET, SortField.Type.LONG));

  private Sorts() {}
}

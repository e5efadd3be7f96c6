package dev.ledger.index.internal;

import java.util.Map;

/**
 * How an index lays out the searchable terms of its audit documents, fixed when the index is
 * created (its commit data says which) and kept until it is rebuilt: documents are written, and
 * {@code q} is parsed, the way the index's own documents are.
 */
public enum TermsLayout {
  /** Before contract v1.10: unprefixed terms only; a pattern scans every tenant's terms. */
  SHARED,
  /**
   * Contract v1.10 to v1.19: unprefixed terms, and a tenant-qualified copy of each catch-all and
   * keyword term in {@link Fields#TENANT_TERMS}, where one tenant's patterns run.
   */
  COPIES,
  /**
   * Contract v1.20: catch-all terms prefixed by the tenant in place ({@link CatchAll}) and a
   * tenant-qualified copy of each keyword term only; a tenth to a third less CPU per document.
   */
  PREFIXED,
  /**
   * Since 2026-12-07 (contract v1.20, no change to the contract): as {@link #PREFIXED}, and the
   * catch-all keeps no norms. Nothing is ranked by relevance (every search is sorted or counted),
   * yet with norms the postings writer read a document's norm for each of its postings, at every
   * flush and again at every merge: a tenth of the reopen thread and a twentieth of the merges in a
   * profile of the pipeline (BENCHMARKS.md, "Children resolved without the loop").
   */
  PREFIXED_WITHOUT_NORMS;

  /** The layout of an index created now. */
  public static final TermsLayout CURRENT = PREFIXED_WITHOUT_NORMS;

  private static final String KEY = "terms.layout";

  /** The layout of an index whose commit data is {@code data}. */
  public static TermsLayout of(Map<String, String> data) {
    String layout = data.get(KEY);
    if (layout != null) {
      return valueOf(layout);
    }
    return CommitData.tenantTerms(data) ? COPIES : SHARED;
  }

  /** Whether the catch-all's terms carry the tenant in front ({@link CatchAll}). */
  public boolean prefixed() {
    return this == PREFIXED || this == PREFIXED_WITHOUT_NORMS;
  }

  /**
   * Whether the catch-all keeps norms. An index cannot change this for a field it has written
   * (Lucene refuses a document whose field disagrees with the index's schema), so it is part of the
   * layout.
   */
  public boolean norms() {
    return this != PREFIXED_WITHOUT_NORMS;
  }

  /** Records this layout in the commit data of a new index. */
  public void putInto(Map<String, String> data) {
    CommitData.putTenantTerms(data);
    data.put(KEY, name());
  }
}

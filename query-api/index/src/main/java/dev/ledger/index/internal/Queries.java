package dev.ledger.index.internal;

import dev.ledger.index.AlertFilter;
import dev.ledger.index.AuditFilter;
import dev.ledger.index.AuthorityFilter;
import dev.ledger.index.PointInTime;
import dev.ledger.index.RevocationPosition;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.LongRange;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSortSortedNumericDocValuesRangeQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the Lucene query of each list. Every clause is a FILTER (lists sort by time, so scores
 * would be wasted work), and every query starts with the document kind and the tenant scope, so
 * nothing a caller passes, {@code q} included, reaches another tenant.
 */
public final class Queries {

  /** The audit type of a use (CONTRACT.md section 1). */
  private static final String USED = EventType.USED.wireName();

  /** The audit type of a revocation. */
  private static final String REVOKED = EventType.REVOKED.wireName();

  private Queries() {}

  public static Query audit(TenantScope scope, AuditFilter f, Problems problems) {
    return audit(scope, f, problems, TermsLayout.CURRENT);
  }

  /**
   * @param layout how the index lays out its audit documents' terms; except in an index from before
   *     v1.10, a pattern in {@code q} scans only the scope's tenant's terms
   */
  public static Query audit(
      TenantScope scope, AuditFilter f, Problems problems, TermsLayout layout) {
    BooleanQuery.Builder b = scoped(Fields.KIND_AUDIT, scope);
    term(b, Fields.PRINCIPAL, f.principal());
    term(b, Fields.ACTOR, f.actor());
    term(b, Fields.TOKEN_ID, f.token());
    term(b, Fields.RESOURCE, f.resource());
    term(b, Fields.ACTION, f.action());
    term(b, Fields.OUTCOME, f.outcome());
    term(b, Fields.TYPE, f.type());
    term(b, Fields.VIOLATION, f.violation());
    term(b, Fields.SUBMITTED_BY, f.submittedBy());
    term(b, Fields.TXN, f.txn());
    term(b, Fields.ACTI, f.acti());
    window(b, f.from(), f.to(), problems);
    if (f.q() != null && !f.q().isBlank()) {
      try {
        b.add(AuditQueryParser.parseQ(f.q(), scope.tenant(), layout), BooleanClause.Occur.FILTER);
      } catch (ParseException e) {
        problems.add("q", e.getMessage());
      }
    }
    return b.build();
  }

  public static Query alerts(TenantScope scope, AlertFilter f, Problems problems) {
    BooleanQuery.Builder b = scoped(Fields.KIND_ALERT, scope);
    term(b, Fields.ALERT_KIND, f.kind());
    term(b, Fields.TOKEN_ID, f.token());
    term(b, Fields.PRINCIPAL, f.principal());
    term(b, Fields.ACTOR, f.actor());
    window(b, f.from(), f.to(), problems);
    return b.build();
  }

  /** Every token with {@code tokenId} among its ancestors: one term, whatever the depth. */
  public static Query descendants(String tenant, String tokenId) {
    BooleanQuery.Builder b = scoped(Fields.KIND_TOKEN, TenantScope.of(tenant));
    term(b, Fields.ANCESTOR, tokenId);
    return b.build();
  }

  /**
   * Audit records of the allowed uses of {@code tokenId} and of its descendants: a use's record
   * carries every token id of its chain, root to the used token, in {@link Fields#CHAIN}.
   */
  public static Query allowedUses(String tenant, String tokenId) {
    BooleanQuery.Builder b = scoped(Fields.KIND_AUDIT, TenantScope.of(tenant));
    term(b, Fields.TYPE, USED);
    term(b, Fields.OUTCOME, Outcome.allowed.name());
    term(b, Fields.CHAIN, tokenId);
    return b.build();
  }

  /**
   * {@link #allowedUses} that occurred by {@code time.at} and were recorded by {@code
   * time.knownAt}.
   */
  public static Query allowedUsesAt(String tenant, String tokenId, PointInTime time) {
    BooleanQuery.Builder b =
        new BooleanQuery.Builder().add(allowedUses(tenant, tokenId), BooleanClause.Occur.FILTER);
    atTime(b, time);
    return b.build();
  }

  /**
   * The audit records of revocations of any of {@code tokenIds} that occurred by {@code time.at}
   * and were recorded by {@code time.knownAt}. Audit records, not notices: a notice is tombstoned
   * once its token expires, and it says nothing of when the ledger learned of the revocation.
   */
  public static Query revocationsAt(
      TenantScope scope, Collection<String> tokenIds, PointInTime time) {
    BooleanQuery.Builder b = scoped(Fields.KIND_AUDIT, scope);
    term(b, Fields.TYPE, REVOKED);
    b.add(
        new TermInSetQuery(Fields.TOKEN_ID, tokenIds.stream().map(BytesRef::new).toList()),
        BooleanClause.Occur.FILTER);
    atTime(b, time);
    return b.build();
  }

  /** Audit records of events of {@code tokenId} by {@code time} that carry one of {@code kinds}. */
  public static Query violationsAt(
      String tenant, String tokenId, Collection<ViolationKind> kinds, PointInTime time) {
    BooleanQuery.Builder b = scoped(Fields.KIND_AUDIT, TenantScope.of(tenant));
    term(b, Fields.TOKEN_ID, tokenId);
    b.add(
        new TermInSetQuery(
            Fields.VIOLATION, kinds.stream().map(k -> new BytesRef(k.name())).toList()),
        BooleanClause.Occur.FILTER);
    atTime(b, time);
    return b.build();
  }

  /**
   * Tokens held by the filter's actor (and/or on behalf of its principal) with its scope and
   * audience, in force at {@code time.at} as far as their documents say: the in-force interval
   * contains T, or with {@code known_at} the valid interval does and the definition was recorded by
   * then (revocations are then checked against their record times, see LedgerIndex#authority).
   */
  public static Query authority(TenantScope scope, AuthorityFilter f, Problems problems) {
    if (f.actor() == null && f.principal() == null) {
      problems.add("actor", "give actor, principal or both");
    }
    BooleanQuery.Builder b = scoped(Fields.KIND_TOKEN, scope);
    term(b, Fields.HOLDER, f.actor());
    term(b, Fields.PRINCIPAL, f.principal());
    term(b, Fields.SCOPE, f.scope());
    term(b, Fields.AUDIENCE, f.audience());
    long at = f.time().atMillis();
    if (f.time().knownAt() == null) {
      b.add(
          LongRange.newIntersectsQuery(Fields.IN_FORCE, new long[] {at}, new long[] {at}),
          BooleanClause.Occur.FILTER);
    } else {
      b.add(
          LongRange.newIntersectsQuery(Fields.VALID, new long[] {at}, new long[] {at}),
          BooleanClause.Occur.FILTER);
      b.add(
          LongPoint.newRangeQuery(Fields.RECORDED, Long.MIN_VALUE, f.time().knownAtMillis()),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  /**
   * What {@code GET /v1/tokens/{id}/history} lists: the audit records of the token's own events and
   * of the revocations of its ancestors.
   */
  public static Query history(String tenant, String tokenId, Collection<String> ancestors) {
    BooleanQuery.Builder b = scoped(Fields.KIND_AUDIT, TenantScope.of(tenant));
    BooleanQuery.Builder which = new BooleanQuery.Builder();
    which.add(new TermQuery(new Term(Fields.TOKEN_ID, tokenId)), BooleanClause.Occur.SHOULD);
    if (!ancestors.isEmpty()) {
      which.add(
          new BooleanQuery.Builder()
              .add(new TermQuery(new Term(Fields.TYPE, REVOKED)), BooleanClause.Occur.FILTER)
              .add(
                  new TermInSetQuery(
                      Fields.TOKEN_ID, ancestors.stream().map(BytesRef::new).toList()),
                  BooleanClause.Occur.FILTER)
              .build(),
          BooleanClause.Occur.SHOULD);
    }
    b.add(which.build(), BooleanClause.Occur.FILTER);
    return b.build();
  }

  /**
   * Occurred by {@code time.at} (the log-time point) and recorded by {@code time.knownAt} when
   * given.
   */
  private static void atTime(BooleanQuery.Builder b, PointInTime time) {
    b.add(timeRange(Long.MIN_VALUE, time.atMillis()), BooleanClause.Occur.FILTER);
    if (time.knownAt() != null) {
      b.add(
          LongPoint.newRangeQuery(Fields.RECORDED, Long.MIN_VALUE, time.knownAtMillis()),
          BooleanClause.Occur.FILTER);
    }
  }

  /** The live revocation notices of any of {@code tokenIds} (at most one per token). */
  public static Query liveRevocationsOf(String tenant, Collection<String> tokenIds) {
    BooleanQuery.Builder b = scoped(Fields.KIND_REVOCATION, TenantScope.of(tenant));
    term(b, Fields.LIVE, "true");
    b.add(
        new TermInSetQuery(Fields.TOKEN_ID, tokenIds.stream().map(BytesRef::new).toList()),
        BooleanClause.Occur.FILTER);
    return b.build();
  }

  /** Live notices notified at or after {@code since} (null: all). */
  public static Query revocations(TenantScope scope, Instant since) {
    BooleanQuery.Builder b = scoped(Fields.KIND_REVOCATION, scope);
    term(b, Fields.LIVE, "true");
    window(b, since, null, new Problems());
    return b.build();
  }

  /**
   * Notices and tombstones that {@code position} does not cover: past its offset in each partition
   * it names, and every one of the partitions it does not name. One clause per named partition plus
   * two (see {@link Documents#revocation} for the fields).
   */
  public static Query revocationsAfter(TenantScope scope, RevocationPosition position) {
    BooleanQuery.Builder after = new BooleanQuery.Builder();
    int[] named = new int[position.offsets().size()];
    int i = 0;
    for (Map.Entry<Integer, Long> e : position.offsets().entrySet()) {
      int p = e.getKey();
      named[i++] = p;
      if (e.getValue() < Long.MAX_VALUE) {
        after.add(
            LongPoint.newRangeQuery(
                Fields.REV_PLACE, new long[] {p, e.getValue() + 1}, new long[] {p, Long.MAX_VALUE}),
            BooleanClause.Occur.SHOULD);
      }
    }
    // Any partition (a document written before positions has none: it never matches) but those.
    BooleanQuery.Builder others = new BooleanQuery.Builder();
    others.add(
        IntPoint.newRangeQuery(Fields.REV_PARTITION, 0, Integer.MAX_VALUE),
        BooleanClause.Occur.FILTER);
    if (named.length > 0) {
      others.add(IntPoint.newSetQuery(Fields.REV_PARTITION, named), BooleanClause.Occur.MUST_NOT);
    }
    after.add(others.build(), BooleanClause.Occur.SHOULD);
    BooleanQuery.Builder b = scoped(Fields.KIND_REVOCATION, scope);
    b.add(after.build(), BooleanClause.Occur.FILTER);
    return b.build();
  }

  private static BooleanQuery.Builder scoped(String kind, TenantScope scope) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    term(b, Fields.KIND, kind);
    if (!scope.isAll()) {
      term(b, Fields.TENANT, scope.tenant());
    }
    return b;
  }

  private static void term(BooleanQuery.Builder b, String field, String value) {
    if (value != null) {
      b.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER);
    }
  }

  /** from inclusive, to exclusive, in epoch millis. */
  private static void window(BooleanQuery.Builder b, Instant from, Instant to, Problems problems) {
    problems.window(from, to);
    if (from == null && to == null) {
      return;
    }
    long lower = from == null ? Long.MIN_VALUE : from.toEpochMilli();
    long upper = to == null ? Long.MAX_VALUE : to.toEpochMilli() - 1;
    b.add(timeRange(lower, upper), BooleanClause.Occur.FILTER);
  }

  /**
   * Documents whose {@link Fields#TIME} is in {@code [lower, upper]}, inclusive. Most such ranges
   * ("occurred by T", a day's window) match a large part of the index while the clauses beside them
   * (a token's chain term, a principal) match a few documents. A bare point query would then
   * collect every matching document id of the range, per query, before the conjunction starts: tens
   * of milliseconds at 10 million records, paid once per token counted by GET /v1/authority. So,
   * cheapest first: the index is sorted on TIME, so in a segment the range is one run of document
   * ids found by binary search ({@link IndexSortSortedNumericDocValuesRangeQuery}); where that does
   * not apply, Lucene picks per segment between the points and checking the doc value of each
   * candidate the other clauses lead to ({@link IndexOrDocValuesQuery}). Every document has a TIME
   * point and doc value (see Documents#base), so all three agree.
   */
  static Query timeRange(long lower, long upper) {
    Query points = LongPoint.newRangeQuery(Fields.TIME, lower, upper);
    Query values = NumericDocValuesField.newSlowRangeQuery(Fields.TIME, lower, upper);
    return new IndexSortSortedNumericDocValuesRangeQuery(
        Fields.TIME, lower, upper, new IndexOrDocValuesQuery(points, values));
  }
}

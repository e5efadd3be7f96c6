package dev.ledger.index.internal;

import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.schemas.serde.AvroSerde;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.LongRange;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Turns ledger records into Lucene documents. Field types are chosen per use:
 *
 * <ul>
 *   <li>{@link StringField} (not stored) for ids, tenant, principal, actors, resource, action,
 *       outcome, type, violations: exact-match filters are one term lookup, no analysis;
 *   <li>{@link LongPoint} + {@link NumericDocValuesField} on {@link Fields#TIME}: the point answers
 *       from/to ranges in log time, the doc value is the newest-first sort (and the index sort, so
 *       a page stops after {@code limit} hits instead of sorting all matches);
 *   <li>{@link SortedDocValuesField} on {@link Fields#ID}: the unique tiebreak of the sort, so a
 *       cursor names one exact position;
 *   <li>{@link TextField} on {@link Fields#ALL}: analysed catch-all, the default field of {@code
 *       q}, each term prefixed by the tenant ({@link CatchAll});
 *   <li>{@link StoredField} only for the record bytes returned whole (and a revocation's key);
 *   <li>for "at a point in time": a {@link LongPoint} on {@link Fields#RECORDED} (record time, the
 *       bound of {@code known_at}) on tokens and audit records, and on tokens {@link LongRange}s of
 *       their valid and in-force intervals (see {@code pointInTime}).
 * </ul>
 */
public final class Documents {

  private static final AvroSerde<TokenNode> TOKENS = AvroSerde.of(TokenNode.class);
  private static final AvroSerde<AuditRecord> AUDITS = AvroSerde.of(AuditRecord.class);
  private static final AvroSerde<Alert> ALERTS = AvroSerde.of(Alert.class);
  private static final AvroSerde<RevocationNotice> REVOCATIONS =
      AvroSerde.of(RevocationNotice.class);

  private Documents() {}

  /** The update term of a token's document. */
  public static Term tokenTerm(String tenant, String tokenId) {
    return new Term(Fields.ID, tokenId(tenant, tokenId));
  }

  /**
   * The update term of an audit record's document: the identity of its event (tenant, token, event
   * id; CONTRACT.md v1.10), so that the records of one event id on two tokens are two documents and
   * an amendment replaces only its own.
   */
  public static Term auditTerm(AuditRecord r) {
    return new Term(Fields.ID, auditId(r));
  }

  /**
   * The document of {@code r}'s event as an index written before v1.10 named it: its id was {@code
   * tenant/event_id}, which documents of that event id on other tokens share, so the token narrows
   * it down. Amendments look there when {@link #auditTerm} finds nothing.
   */
  public static Query legacyAudit(AuditRecord r) {
    return new BooleanQuery.Builder()
        .add(
            new TermQuery(
                new Term(Fields.ID, id(Fields.KIND_AUDIT, r.getTenant() + "/" + r.getEventId()))),
            BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(Fields.TOKEN_ID, r.getTokenId())), BooleanClause.Occur.FILTER)
        .build();
  }

  private static String auditId(AuditRecord r) {
    return id(Fields.KIND_AUDIT, EventIdentity.of(r).key());
  }

  /**
   * The update term of an alert's document. The tenant is part of it because alert ids are built
   * from producer-chosen event and token ids, which two tenants may share.
   */
  public static Term alertTerm(Alert a) {
    return new Term(Fields.ID, id(Fields.KIND_ALERT, a.getTenant() + "/" + a.getAlertId()));
  }

  /** The update term of a revocation's document (notice or tombstone). */
  public static Term revocationTerm(String tenant, String tokenId) {
    return new Term(Fields.ID, id(Fields.KIND_REVOCATION, tenant + "/" + tokenId));
  }

  /** A token: found by id, by ancestor (descendants) and sorted by issue time. */
  public static Document token(TokenNode t) {
    return token(t, null);
  }

  /**
   * {@link #token(TokenNode)} storing {@code encoded} (the Kafka value of {@code t}) as it came;
   * null: encode {@code t}.
   */
  public static Document token(TokenNode t, byte[] encoded) {
    Document d =
        base(
            Fields.KIND_TOKEN,
            tokenId(t.getTenant(), t.getTokenId()),
            t.getTenant(),
            firstNonNull(t.getIssuedAt(), t.getUpdatedAt()),
            encoded != null ? encoded : TOKENS.encode(t));
    keyword(d, Fields.TOKEN_ID, t.getTokenId());
    keyword(d, Fields.ROOT_ID, t.getRootId());
    keyword(d, Fields.PARENT_ID, t.getParentId());
    keyword(d, Fields.PRINCIPAL, t.getPrincipal());
    for (String ancestor : ancestors(t)) {
      keyword(d, Fields.ANCESTOR, ancestor);
    }
    for (String actor : actors(t.getChain(), t.getActor())) {
      keyword(d, Fields.ACTOR, actor);
    }
    pointInTime(d, t);
    return d;
  }

  /**
   * What "in force at T" needs (GET /v1/authority), on the token's own document so that no use or
   * revocation adds a write: its holder and effective rights as terms, the record time of its
   * definition as a point (bound by {@code known_at}), and its intervals as {@link LongRange}s. A
   * range, not two points: "issued at or before T and not yet expired at T" is then one lookup of a
   * 2-dimensional tree that prunes on both ends at once, where two 1-dimensional ranges would each
   * match most tokens (nearly every token was issued before T, most expire after it) and then be
   * intersected. Two ranges because {@code known_at} must not see a revocation recorded later: it
   * asks the valid one (issued to expiry) and checks revocations itself; without {@code known_at}
   * the in-force one (to the revocation in force on the chain, as Streams resolved it) answers.
   * Pending tokens get neither: they have no chain, so they were never in force.
   */
  private static void pointInTime(Document d, TokenNode t) {
    keyword(d, Fields.HOLDER, t.getActor());
    for (String scope : Set.copyOf(t.getScopes())) {
      keyword(d, Fields.SCOPE, scope);
    }
    for (String audience : Set.copyOf(t.getAudience())) {
      keyword(d, Fields.AUDIENCE, audience);
    }
    Instant recorded = firstNonNull(t.getRecordedAt(), t.getUpdatedAt());
    d.add(new LongPoint(Fields.RECORDED, recorded == null ? 0L : recorded.toEpochMilli()));
    if (t.getStatus() == TokenStatus.pending || t.getIssuedAt() == null) {
      return;
    }
    long issued = t.getIssuedAt().toEpochMilli();
    // Inclusive upper bounds. As Streams judges: a token is expired only after expires_at (a use at
    // expires_at is no use_after_expiry), and revoked from its revocation's time on ("revoked by
    // T").
    long expiry = t.getExpiresAt() == null ? Long.MAX_VALUE : t.getExpiresAt().toEpochMilli();
    long revoked = t.getRevokedAt() == null ? Long.MAX_VALUE : t.getRevokedAt().toEpochMilli() - 1;
    if (expiry >= issued) {
      d.add(new LongRange(Fields.VALID, new long[] {issued}, new long[] {expiry}));
    }
    if (Math.min(expiry, revoked) >= issued) {
      d.add(
          new LongRange(
              Fields.IN_FORCE, new long[] {issued}, new long[] {Math.min(expiry, revoked)}));
    }
  }

  /**
   * An audit record, as a new index lays it out: every filter of GET /v1/audit plus the catch-all
   * text of {@code q}.
   */
  public static Document audit(AuditRecord r) {
    return audit(r, null, TermsLayout.CURRENT);
  }

  /**
   * {@link #audit(AuditRecord)} storing {@code encoded} (the Kafka value of {@code r}) as it came
   * (null: encode {@code r}), for an index of {@code layout} (one from before v1.10 gets the terms
   * of v1.10 to v1.19, which it ignores).
   */
  public static Document audit(AuditRecord r, byte[] encoded, TermsLayout layout) {
    Document d =
        base(
            Fields.KIND_AUDIT,
            auditId(r),
            r.getTenant(),
            r.getOccurredAt(),
            encoded != null ? encoded : AUDITS.encode(r));
    String outcome = r.getOutcome() == null ? null : r.getOutcome().name();
    keyword(d, Fields.EVENT_ID, r.getEventId());
    keyword(d, Fields.TYPE, r.getType());
    keyword(d, Fields.TOKEN_ID, r.getTokenId());
    keyword(d, Fields.ROOT_ID, r.getRootId());
    keyword(d, Fields.PARENT_ID, r.getParentId());
    keyword(d, Fields.PRINCIPAL, r.getPrincipal());
    keyword(d, Fields.RESOURCE, r.getResource());
    keyword(d, Fields.ACTION, r.getAction());
    keyword(d, Fields.OUTCOME, outcome);
    keyword(d, Fields.REQUEST_ID, r.getRequestId());
    keyword(d, Fields.SOURCE, r.getSource());
    keyword(d, Fields.SUBMITTED_BY, r.getSubmittedBy());
    keyword(d, Fields.TXN, r.getTxn());
    keyword(d, Fields.ACTI, r.getActi());
    Set<String> actors = actors(r.getChain(), r.getActor());
    for (String actor : actors) {
      keyword(d, Fields.ACTOR, actor);
    }
    for (ViolationKind v : Set.copyOf(r.getViolations())) {
      keyword(d, Fields.VIOLATION, v.name());
    }
    // Point only: "recorded by known_at" bounds uses, revocations and violations at a point in
    // time.
    d.add(
        new LongPoint(
            Fields.RECORDED, r.getRecordedAt() == null ? 0L : r.getRecordedAt().toEpochMilli()));
    // Every token of the chain: "allowed uses of X and its descendants" is one count with the term
    // X.
    for (Hop hop : r.getChain()) {
      keyword(d, Fields.CHAIN, hop.getTokenId());
    }
    StringBuilder all = new StringBuilder();
    append(
        all,
        r.getEventId(),
        r.getType(),
        r.getTokenId(),
        r.getRootId(),
        r.getParentId(),
        r.getPrincipal(),
        r.getResource(),
        r.getAction(),
        outcome,
        r.getSource(),
        r.getReason(),
        r.getRequestId());
    actors.forEach(a -> append(all, a));
    r.getChain().forEach(h -> append(all, h.getTokenId()));
    r.getViolations().forEach(v -> append(all, v.name()));
    for (Map.Entry<String, String> e : r.getAttributes().entrySet()) {
      append(all, e.getKey(), e.getValue());
    }
    // Analysed, not stored: the default field of q, free words over every value of the record.
    boolean prefixed = layout.prefixed();
    d.add(
        prefixed
            ? CatchAll.field(r.getTenant(), all.toString(), layout.norms())
            : new TextField(Fields.ALL, all.toString(), Field.Store.NO));
    TenantTerms.add(d, r.getTenant(), !prefixed);
    return d;
  }

  /** An alert: filtered by kind, token, principal, actor at any hop, time. */
  public static Document alert(Alert a) {
    return alert(a, null);
  }

  /**
   * {@link #alert(Alert)} storing {@code encoded} (the Kafka value of {@code a}) as it came; null:
   * encode {@code a}.
   */
  public static Document alert(Alert a, byte[] encoded) {
    Document d =
        base(
            Fields.KIND_ALERT,
            id(Fields.KIND_ALERT, a.getTenant() + "/" + a.getAlertId()),
            a.getTenant(),
            a.getOccurredAt(),
            encoded != null ? encoded : ALERTS.encode(a));
    keyword(d, Fields.ALERT_KIND, a.getKind().name());
    keyword(d, Fields.TOKEN_ID, a.getTokenId());
    keyword(d, Fields.EVENT_ID, a.getEventId());
    keyword(d, Fields.PRINCIPAL, a.getPrincipal());
    for (String actor : actors(a.getChain(), a.getActor())) {
      keyword(d, Fields.ACTOR, actor);
    }
    return d;
  }

  /**
   * A revocation notice, or with a null notice its tombstone, from the record at {@code offset} of
   * {@code partition} of ledger.revocations. The tombstone replaces the notice (same id), so
   * listings no longer show it, but takes its record's place so an SSE client resuming before it
   * learns that the revocation is gone. Sorted by the time the ledger notified it (else the
   * revocation time): a client asking {@code since} its last poll sees descendants revoked later
   * through an old revocation.
   */
  public static Document revocation(
      String tenant, String tokenId, RevocationNotice notice, int partition, long offset) {
    return revocation(tenant, tokenId, notice, null, partition, offset);
  }

  /**
   * {@link #revocation(String, String, RevocationNotice, int, long)} storing {@code encoded} (the
   * Kafka value of {@code notice}) as it came; null: encode {@code notice}.
   */
  public static Document revocation(
      String tenant,
      String tokenId,
      RevocationNotice notice,
      byte[] encoded,
      int partition,
      long offset) {
    Instant time =
        notice == null ? null : firstNonNull(notice.getNotifiedAt(), notice.getRevokedAt());
    byte[] record = notice == null ? null : encoded != null ? encoded : REVOCATIONS.encode(notice);
    Document d =
        base(
            Fields.KIND_REVOCATION,
            id(Fields.KIND_REVOCATION, tenant + "/" + tokenId),
            tenant,
            time,
            record);
    keyword(d, Fields.TOKEN_ID, tokenId);
    keyword(d, Fields.LIVE, Boolean.toString(notice != null));
    // SSE resumption asks "after offset V[p] in each partition p it names, anything in the others".
    // One two-dimensional point answers a partition's part with one range clause (a partition and
    // an offset field apart would take two per partition, and Lucene caps a query at 1,024); the
    // one-dimensional partition point answers "not one of the named partitions" as one set
    // clause. Doc values sort a replay by partition, then offset; stored values are read back
    // with the notice (a doc-value read per hit would be a second lookup).
    d.add(new LongPoint(Fields.REV_PLACE, partition, offset));
    d.add(new IntPoint(Fields.REV_PARTITION, partition));
    d.add(new NumericDocValuesField(Fields.REV_PARTITION, partition));
    d.add(new StoredField(Fields.REV_PARTITION, partition));
    d.add(new NumericDocValuesField(Fields.REV_OFFSET, offset));
    d.add(new StoredField(Fields.REV_OFFSET, offset));
    // Stored: a tombstone has no record, and SSE resumption still names its token.
    d.add(new StoredField(Fields.KEY, tenant + "/" + tokenId));
    return d;
  }

  /** Decoders of the stored record bytes. */
  public static TokenNode decodeToken(BytesRef b) {
    return TOKENS.decode(bytes(b));
  }

  public static AuditRecord decodeAudit(BytesRef b) {
    return AUDITS.decode(bytes(b));
  }

  public static Alert decodeAlert(BytesRef b) {
    return ALERTS.decode(bytes(b));
  }

  public static RevocationNotice decodeRevocation(BytesRef b) {
    return b == null ? null : REVOCATIONS.decode(bytes(b));
  }

  /** The chain's token ids without the token itself, plus the parent (known even while pending). */
  static Set<String> ancestors(TokenNode t) {
    Set<String> out = new LinkedHashSet<>();
    for (Hop hop : t.getChain()) {
      if (!hop.getTokenId().equals(t.getTokenId())) {
        out.add(hop.getTokenId());
      }
    }
    if (t.getParentId() != null) {
      out.add(t.getParentId());
    }
    if (t.getRootId() != null && !t.getRootId().equals(t.getTokenId())) {
      out.add(t.getRootId());
    }
    return out;
  }

  static Set<String> actors(List<Hop> chain, String own) {
    Set<String> out = new LinkedHashSet<>();
    for (Hop hop : chain) {
      if (hop.getActor() != null) {
        out.add(hop.getActor());
      }
    }
    if (own != null) {
      out.add(own);
    }
    return out;
  }

  private static String tokenId(String tenant, String tokenId) {
    return id(Fields.KIND_TOKEN, tenant + "/" + tokenId);
  }

  private static String id(String kind, String key) {
    return kind + ":" + key;
  }

  private static Document base(String kind, String id, String tenant, Instant time, byte[] record) {
    Document d = new Document();
    // Not stored: only filtered on (one exact term in every query), never read back.
    d.add(new StringField(Fields.KIND, kind, Field.Store.NO));
    // Indexed for the update term, doc values for the unique sort tiebreak (the cursor's second
    // key).
    d.add(new StringField(Fields.ID, id, Field.Store.NO));
    d.add(new SortedDocValuesField(Fields.ID, new BytesRef(id)));
    // Not stored: the tenant clause of every query; the record carries the tenant for the answer.
    d.add(new StringField(Fields.TENANT, tenant, Field.Store.NO));
    long millis = time == null ? 0L : time.toEpochMilli();
    // Point for from/to ranges (and "uses by T"), doc value for the newest-first sort and index
    // sort.
    d.add(new LongPoint(Fields.TIME, millis));
    d.add(new NumericDocValuesField(Fields.TIME, millis));
    if (record != null) {
      // The only stored value of most documents: the Kafka value bytes, returned whole and decoded
      // on read.
      d.add(new StoredField(Fields.RECORD, record));
    }
    return d;
  }

  /**
   * An exact, unanalysed, not stored term: a filter is one term lookup and nothing is read back
   * from it.
   */
  private static void keyword(Document d, String field, String value) {
    if (value != null) {
      d.add(new StringField(field, value, Field.Store.NO));
    }
  }

  private static void append(StringBuilder b, String... values) {
    for (String v : values) {
      if (v != null) {
        b.append(v).append('\n');
      }
    }
  }

  private static Instant firstNonNull(Instant a, Instant b) {
    return a != null ? a : b;
  }

  private static byte[] bytes(BytesRef b) {
    byte[] out = new byte[b.length];
    System.arraycopy(b.bytes, b.offset, out, 0, b.length);
    return out;
  }
}

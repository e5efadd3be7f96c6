package dev.ledger.index.internal;

import java.util.Set;

/**
 * Names of the Lucene fields of the ledger index. The names users may type in {@code q} are the
 * record's own (CONTRACT.md section 4); internal ones start with an underscore.
 */
public final class Fields {

  /** Which record a document holds: one of the KIND_ constants. */
  public static final String KIND = "_kind";

  /** Unique id per document (kind + tenant + record id): the update term and the sort tiebreak. */
  public static final String ID = "_id";

  /** The whole record, Avro single-object bytes. */
  public static final String RECORD = "_record";

  /** tenant/token_id of a revocation document, kept because a tombstone has no record. */
  public static final String KEY = "_key";

  /**
   * Partition of ledger.revocations that a revocation document's record came from (SSE resumption,
   * with {@link #REV_OFFSET} and {@link #REV_PLACE}).
   */
  public static final String REV_PARTITION = "_rev_partition";

  /** Offset of a revocation document's record in its partition. */
  public static final String REV_OFFSET = "_rev_offset";

  /** (partition, offset) of a revocation document's record as one two-dimensional point. */
  public static final String REV_PLACE = "_rev_place";

  /** "true" on a live revocation, "false" on a tombstone. */
  public static final String LIVE = "_live";

  /** Event time in epoch millis: the newest-first sort and the from/to range of every kind. */
  public static final String TIME = "_time";

  /** The catch-all text field, default field of {@code q}. */
  public static final String ALL = "all";

  public static final String TENANT = "tenant";

  /**
   * Tenant-qualified copies of an audit document's searchable terms ({@link TenantTerms}): what a
   * pattern in one tenant's {@code q} scans.
   */
  public static final String TENANT_TERMS = "_tenant_terms";

  public static final String EVENT_ID = "event_id";
  public static final String TYPE = "type";
  public static final String TOKEN_ID = "token_id";
  public static final String ROOT_ID = "root_id";
  public static final String PARENT_ID = "parent_id";

  /**
   * Every token id of an audit record's chain, root to the token itself (internal: not a name of
   * {@code q}). "Allowed uses of X", own and descendants', is one count with the term X.
   */
  public static final String CHAIN = "_chain";

  /** Every ancestor of a token (its chain without itself, plus its parent while pending). */
  public static final String ANCESTOR = "ancestor";

  public static final String PRINCIPAL = "principal";

  /** Multi-valued: every actor of the chain plus the record's own actor. */
  public static final String ACTOR = "actor";

  public static final String RESOURCE = "resource";
  public static final String ACTION = "action";
  public static final String OUTCOME = "outcome";

  /** Multi-valued violation kinds of an audit record. */
  public static final String VIOLATION = "violation";

  /** Violation kind of an alert. */
  public static final String ALERT_KIND = "kind";

  public static final String REQUEST_ID = "request_id";
  public static final String SOURCE = "source";

  /**
   * The credential that submitted an audit record's event (absent when it was written to Kafka
   * directly).
   */
  public static final String SUBMITTED_BY = "submitted_by";

  /** The transaction id (Transaction Token {@code txn}) an audit record's chain carries. */
  public static final String TXN = "txn";

  /** The actor-chain workflow id ({@code acti}) an audit record's chain carries. */
  public static final String ACTI = "acti";

  /** The name {@code q} uses for the time range; mapped onto {@link #TIME}. */
  public static final String OCCURRED_AT = "occurred_at";

  /**
   * A token's holder: the actor of its last hop (internal: "tokens A held", not "A anywhere in the
   * chain").
   */
  public static final String HOLDER = "_holder";

  /** Multi-valued effective scopes of a token. */
  public static final String SCOPE = "_scope";

  /** Multi-valued effective audience of a token. */
  public static final String AUDIENCE = "_audience";

  /**
   * Record time in epoch millis: of an audit record, when the ledger accepted its event; of a
   * token, when it accepted the token's definition. The bound of {@code known_at}.
   */
  public static final String RECORDED = "_recorded";

  /**
   * A token's valid interval, issued to expiry (LongRange, inclusive bounds): "issued and not
   * expired at T".
   */
  public static final String VALID = "_valid";

  /**
   * A token's interval in force as known now, issued to the earlier of its expiry and the
   * revocation in force on its chain (LongRange, inclusive bounds; absent when never in force).
   */
  public static final String IN_FORCE = "_in_force";

  public static final String KIND_TOKEN = "token";
  public static final String KIND_AUDIT = "audit";
  public static final String KIND_ALERT = "alert";
  public static final String KIND_REVOCATION = "revocation";

  /** Fields indexed verbatim (one term per value) that {@code q} may name. */
  public static final Set<String> KEYWORDS =
      Set.of(
          TENANT,
          EVENT_ID,
          TYPE,
          TOKEN_ID,
          ROOT_ID,
          PARENT_ID,
          PRINCIPAL,
          ACTOR,
          RESOURCE,
          ACTION,
          OUTCOME,
          VIOLATION,
          REQUEST_ID,
          SOURCE,
          SUBMITTED_BY,
          ALERT_KIND,
          TXN,
          ACTI);

  private Fields() {}
}

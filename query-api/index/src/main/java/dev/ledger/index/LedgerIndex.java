package dev.ledger.index;

import dev.ledger.index.internal.AdaptiveReopener;
import dev.ledger.index.internal.Amendments;
import dev.ledger.index.internal.CommitData;
import dev.ledger.index.internal.Cursor;
import dev.ledger.index.internal.Documents;
import dev.ledger.index.internal.EventWaits;
import dev.ledger.index.internal.Fields;
import dev.ledger.index.internal.LiveWriter;
import dev.ledger.index.internal.NoticeIndex;
import dev.ledger.index.internal.PointInTimeAnswers;
import dev.ledger.index.internal.Problems;
import dev.ledger.index.internal.Queries;
import dev.ledger.index.internal.Sorts;
import dev.ledger.index.internal.TermsLayout;
import dev.ledger.index.internal.TokenAnswers;
import dev.ledger.index.internal.WriteCounts;
import dev.ledger.index.internal.Writers;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The ledger's Lucene index: one directory holding a document per token, audit record and alert,
 * and beside it (subdirectory {@code notices}) one per revocation notice, searched near-real-time.
 * Thread-safe: any number of threads may query while one {@link Indexer} (or a test, or a
 * benchmark) writes through the {@code put} methods.
 *
 * <p>Reads: every list is newest first, paged by an opaque cursor that stays exact while documents
 * arrive, and scoped by tenant. Input problems (limit out of 1..1000, a malformed or foreign
 * cursor, a malformed {@code q}, {@code from} not before {@code to}) are answered with {@link
 * InvalidQueryException}, never an unchecked exception; an unreadable index throws {@link
 * UncheckedIOException}.
 *
 * <p>Writes become searchable within the refresh interval, which follows the write load (25 ms
 * idle, up to 500 ms under heavy writes, see {@link AdaptiveReopener}), at once for a caller of
 * {@link #awaitSearchable()}, and durable at {@link #commit(Map)}, which also stores the Kafka
 * positions they reach. {@link #close()} commits what was written, unless an {@link Indexer} feeds
 * the index: then only {@link #commit(Map)} makes documents durable, always with the positions they
 * reach, so that a record is never both committed and read again.
 */
public final class LedgerIndex implements AutoCloseable {

  /** How stale a search may be by default, when the index is idle. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMillis(25);

  /**
   * How stale a search may be at most under heavy writes (unless the refresh interval asked for is
   * longer).
   */
  public static final Duration MAX_REFRESH_INTERVAL = Duration.ofMillis(500);

  /**
   * Lucene's indexing buffer. Near-real-time reopens flush it at least every 500 ms, so it fills
   * only on bursts (a catch-up after downtime); bounded so that the ledger stays under 1 GB.
   */
  static final double RAM_BUFFER_MB = 128;

  /** The most event ids one {@link #awaitEvents} call may wait for. */
  public static final int MAX_AWAITED_EVENTS = 100;

  /** The longest one {@link #awaitEvents} call may wait. */
  public static final Duration MAX_EVENT_WAIT = Duration.ofSeconds(10);

  private static final int EXPORT_BATCH = 1000;
  private static final int AWAIT_MAX_MS = 10_000;

  /** Cursor list names of the point-in-time lists. */
  private static final String AUTHORITY = "authority";

  private static final String HISTORY = "history";
  private static final int MAX_REVOCATIONS = 10_000;
  private static final int VIOLATION_BATCH = 100;

  private final Directory directory;

  /**
   * The writer, its searchers and reopens: another writer after {@link #reopenFromLastCommit()}.
   */
  private final LiveWriter main;

  /** Revocation notices, apart (see {@link NoticeIndex} for why). */
  private final NoticeIndex notices;

  /** Reads waiting for the records derived from given events (read-your-writes). */
  private final EventWaits waits;

  private final WriteCounts writes = new WriteCounts();

  /** Set by the {@link Indexer}: documents become durable only with the positions they reach. */
  private volatile boolean fedByIndexer;

  private final Object commitLock = new Object();
  private final Map<String, String> commitData;

  /** How the audit documents' terms are laid out (set once, when the index was created). */
  private final TermsLayout layout;

  private LedgerIndex(
      Directory directory,
      IndexWriter writer,
      NoticeIndex notices,
      Map<String, String> commitData,
      Duration refresh)
      throws IOException {
    this.directory = directory;
    this.notices = notices;
    this.commitData = commitData;
    this.layout = TermsLayout.of(commitData);
    // Idle: the refresh interval; busy: up to 500 ms; a waiter (a test, an amendment) gets a reopen
    // at once.
    this.main =
        new LiveWriter(
            directory, writer, RAM_BUFFER_MB, refresh, maxRefresh(refresh), "ledger-index-refresh");
    this.waits = new EventWaits(main, "ledger-index-event-waits");
    main.addRefreshListener(waits);
  }

  /** Opens the index in {@code dir}, creating it if absent, refreshed every 25 ms. */
  public static LedgerIndex open(Path dir) throws IOException {
    return open(dir, DEFAULT_REFRESH_INTERVAL);
  }

  /**
   * Opens the index in {@code dir}, creating it if absent; searches are {@code refresh} stale when
   * idle, up to {@link #MAX_REFRESH_INTERVAL} (or {@code refresh} if longer) under heavy writes.
   */
  public static LedgerIndex open(Path dir, Duration refresh) throws IOException {
    return open(dir, refresh, UnaryOperator.identity());
  }

  /**
   * {@link #open(Path, Duration)} with both Lucene directories (the main one and the notices')
   * wrapped by {@code wrap}: the seam where tests inject write errors, a full disk for one.
   */
  static LedgerIndex open(Path dir, Duration refresh, UnaryOperator<Directory> wrap)
      throws IOException {
    Directory directory = wrap.apply(FSDirectory.open(Objects.requireNonNull(dir, "dir")));
    IndexWriter writer = Writers.open(directory, RAM_BUFFER_MB);
    NoticeIndex notices = null;
    try {
      Map<String, String> data = Writers.commitData(writer);
      notices = NoticeIndex.open(dir, refresh, maxRefresh(refresh), wrap);
      if (notices.created()) {
        // An index from before notices moved apart: its notices are read again into the notice
        // index (which has no positions yet), so the copies here would only be dead weight.
        writer.deleteDocuments(new Term(Fields.KIND, Fields.KIND_REVOCATION));
        CommitData.removeOffsets(data, Topics.REVOCATIONS.name());
      }
      if (writer.getDocStats().numDocs == 0) {
        // A new index: the current layout. One written before keeps its own until it is rebuilt
        // (README): its documents are written and its q parsed as its older documents are.
        TermsLayout.CURRENT.putInto(data);
      }
      Writers.commit(writer, data);
      return new LedgerIndex(directory, writer, notices, data, refresh);
    } catch (IOException | RuntimeException e) {
      if (notices != null) {
        notices.close();
      }
      writer.rollback();
      directory.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * The token {@code tokenId} of {@code tenant}, if indexed, as {@code GET /v1/tokens/{id}} answers
   * it: its document on ledger.tokens with {@code uses} = max(allowed uses counted in the audit
   * documents, the document's own), and the revocation in force from the live notices of its chain
   * when the document does not carry it yet (a cascade's descendants' documents follow their
   * notices). See {@link TokenAnswers} for why both are exact once the document has caught up.
   */
  public Optional<TokenNode> token(String tenant, String tokenId) {
    Query q = new TermQuery(Documents.tokenTerm(tenant, tokenId));
    return withSearcher(
        s -> {
          TopDocs top = s.search(q, 1);
          if (top.scoreDocs.length == 0) {
            return Optional.empty();
          }
          StoredFields stored = s.storedFields();
          TokenNode node = Documents.decodeToken(record(stored, top.scoreDocs[0].doc));
          long counted = s.count(Queries.allowedUses(tenant, tokenId));
          return Optional.of(
              TokenAnswers.resolve(
                  node, counted, liveNoticesOf(tenant, TokenAnswers.revocableBy(node))));
        });
  }

  /** The live notices of {@code tokenIds} of {@code tenant}: at most one per id. */
  private List<RevocationNotice> liveNoticesOf(String tenant, Set<String> tokenIds) {
    return withSearcher(
        notices::acquire,
        n -> {
          TopDocs revoked = n.search(Queries.liveRevocationsOf(tenant, tokenIds), tokenIds.size());
          StoredFields noticeFields = n.storedFields();
          List<RevocationNotice> out = new ArrayList<>(revoked.scoreDocs.length);
          for (ScoreDoc hit : revoked.scoreDocs) {
            out.add(Documents.decodeRevocation(record(noticeFields, hit.doc)));
          }
          return out;
        });
  }

  /**
   * The token {@code tokenId} of {@code tenant} as it stood at {@code time} (CONTRACT.md section 4,
   * v1.8): its chain and rights, the allowed uses (own and descendants') that occurred by {@code
   * time.at}, the violations of its events by then, and status, {@code revoked_at} and {@code
   * revocation_cause} from the revocations of its chain that occurred by then; with {@code
   * time.knownAt}, only events recorded by then count. Empty when the token is not indexed or was
   * not issued by then (see {@link #token} to tell which).
   */
  public Optional<TokenNode> tokenAt(String tenant, String tokenId, PointInTime time) {
    Query q = new TermQuery(Documents.tokenTerm(tenant, tokenId));
    return withSearcher(
        s -> {
          TopDocs top = s.search(q, 1);
          if (top.scoreDocs.length == 0) {
            return Optional.empty();
          }
          TokenNode node = Documents.decodeToken(record(s.storedFields(), top.scoreDocs[0].doc));
          if (!PointInTimeAnswers.issued(node, time)) {
            return Optional.empty();
          }
          List<AuditRecord> revocations =
              revocationsAt(s, TenantScope.of(tenant), TokenAnswers.revocableBy(node), time);
          return Optional.of(
              PointInTimeAnswers.at(
                  node,
                  time,
                  s.count(Queries.allowedUsesAt(tenant, tokenId, time)),
                  revocationOf(node, revocations),
                  violationsAt(s, node, time)));
        });
  }

  /**
   * The tokens of {@code filter} in force at its time, newest issued first: issued by then, not
   * expired, and neither they nor an ancestor revoked by then (with {@code known_at}: as the ledger
   * knew it then). Each is the token as it stood then ({@code uses} by then; {@code violations}
   * left empty: ask {@link #tokenAt} for them). The token documents' intervals find the candidates;
   * the revocations of their chains that count are then looked up in the audit documents, once per
   * batch, because a cascade's descendants' documents follow their notices, and with {@code
   * known_at} a revocation recorded later must not count.
   */
  public Page<TokenNode> authority(TenantScope scope, AuthorityFilter filter, PageRequest page)
      throws InvalidQueryException {
    Problems problems = new Problems();
    FieldDoc after = problems.page(page, AUTHORITY);
    Query query = Queries.authority(scope, filter, problems);
    problems.throwIfAny();
    int limit = page.limit();
    PointInTime time = filter.time();
    return searchChecked(
        s -> {
          List<TokenNode> items = new ArrayList<>();
          FieldDoc cursor = after;
          FieldDoc last = null;
          StoredFields stored = s.storedFields();
          while (true) {
            TopFieldDocs top =
                s.search(
                    query,
                    new TopFieldCollectorManager(Sorts.NEWEST_FIRST, limit + 1, cursor, limit + 1));
            List<TokenNode> nodes = new ArrayList<>(top.scoreDocs.length);
            Set<String> chains = new HashSet<>();
            for (ScoreDoc hit : top.scoreDocs) {
              TokenNode node = Documents.decodeToken(record(stored, hit.doc));
              nodes.add(node);
              chains.addAll(TokenAnswers.revocableBy(node));
            }
            List<AuditRecord> revocations =
                nodes.isEmpty() ? List.of() : revocationsAt(s, scope, chains, time);
            for (int i = 0; i < nodes.size(); i++) {
              TokenNode node = nodes.get(i);
              if (revocationOf(node, revocations) != null) {
                continue;
              }
              if (items.size() == limit) {
                return new Page<>(items, Cursor.after(AUTHORITY, last).encode());
              }
              long uses = s.count(Queries.allowedUsesAt(node.getTenant(), node.getTokenId(), time));
              items.add(PointInTimeAnswers.at(node, time, uses, null, Set.of()));
              last = (FieldDoc) top.scoreDocs[i];
            }
            if (top.scoreDocs.length <= limit) {
              return new Page<>(items, null);
            }
            cursor = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
          }
        });
  }

  /**
   * The transitions of {@code token} (a token as {@link #token} answers it), oldest first: its
   * definition, each use, the revocations of it and of its ancestors, its expiry once past ({@code
   * now}), each violation; each with its event and record times. A page holds the transitions of at
   * most {@code limit} events (an event with violations has one more per kind).
   */
  public Page<Transition> history(TokenNode token, PageRequest page, Instant now)
      throws InvalidQueryException {
    Problems problems = new Problems();
    FieldDoc after = problems.page(page, HISTORY);
    problems.throwIfAny();
    Set<String> ancestors = new LinkedHashSet<>(TokenAnswers.revocableBy(token));
    ancestors.remove(token.getTokenId());
    Query query = Queries.history(token.getTenant(), token.getTokenId(), ancestors);
    int limit = page.limit();
    return searchChecked(
        s -> {
          TopFieldDocs top =
              s.search(
                  query,
                  new TopFieldCollectorManager(Sorts.OLDEST_FIRST, limit + 1, after, limit + 1));
          StoredFields stored = s.storedFields();
          int n = Math.min(limit, top.scoreDocs.length);
          List<Transition> items = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            items.addAll(
                PointInTimeAnswers.transitions(
                    Documents.decodeAudit(record(stored, top.scoreDocs[i].doc)),
                    token.getTokenId()));
          }
          boolean more = top.scoreDocs.length > limit;
          // The expiry is no event: it goes on the page whose events' times enclose it.
          Transition expiry = PointInTimeAnswers.expiry(token, now);
          long from = after == null ? Long.MIN_VALUE : (Long) after.fields[0];
          long to = more ? (Long) ((FieldDoc) top.scoreDocs[limit - 1]).fields[0] : Long.MAX_VALUE;
          if (expiry != null
              && expiry.occurredAt().toEpochMilli() > from
              && expiry.occurredAt().toEpochMilli() <= to) {
            items.add(expiry);
            items.sort(
                Comparator.comparing(Transition::occurredAt)); // stable: events keep their order
          }
          return new Page<>(
              items,
              more ? Cursor.after(HISTORY, (FieldDoc) top.scoreDocs[limit - 1]).encode() : null);
        });
  }

  /**
   * Every token derived from {@code tokenId}, at any depth, newest first, each with the revocation
   * in force from the live notices of its chain as {@link #token} answers it: a cascade's
   * descendants' documents follow their notices (CONTRACT.md section 3), so a revoked subtree is
   * listed revoked as soon as its notices are searchable. {@code uses} is the document's.
   */
  public Page<TokenNode> descendants(String tenant, String tokenId, PageRequest page)
      throws InvalidQueryException {
    Page<TokenNode> listed =
        list(
            Fields.KIND_TOKEN,
            page,
            problems -> Queries.descendants(tenant, tokenId),
            Documents::decodeToken);
    Set<String> chains = new HashSet<>();
    listed.items().forEach(node -> chains.addAll(TokenAnswers.revocableBy(node)));
    if (chains.isEmpty()) {
      return listed;
    }
    List<RevocationNotice> live = liveNoticesOf(tenant, chains);
    List<TokenNode> items = new ArrayList<>(listed.items().size());
    for (TokenNode node : listed.items()) {
      Set<String> chain = TokenAnswers.revocableBy(node);
      items.add(
          TokenAnswers.resolve(
              node,
              node.getUses(),
              live.stream().filter(n -> chain.contains(n.getTokenId())).toList()));
    }
    return new Page<>(items, listed.nextCursor());
  }

  /** Audit records matching every filter, newest first. */
  public Page<AuditRecord> audit(TenantScope scope, AuditFilter filter, PageRequest page)
      throws InvalidQueryException {
    return list(
        Fields.KIND_AUDIT,
        page,
        problems -> Queries.audit(scope, filter, problems, layout),
        Documents::decodeAudit);
  }

  /**
   * Every audit record matching, newest first, without paging, in constant memory: batches of a
   * thousand from one point-in-time view, so records indexed meanwhile are not included.
   */
  public void forEachAudit(TenantScope scope, AuditFilter filter, Consumer<AuditRecord> sink)
      throws InvalidQueryException {
    Problems problems = new Problems();
    Query query = Queries.audit(scope, filter, problems, layout);
    problems.throwIfAny();
    searchChecked(
        s -> {
          FieldDoc after = null;
          while (true) {
            TopFieldDocs top =
                s.search(
                    query,
                    new TopFieldCollectorManager(
                        Sorts.NEWEST_FIRST, EXPORT_BATCH, after, EXPORT_BATCH));
            StoredFields stored = s.storedFields();
            for (ScoreDoc hit : top.scoreDocs) {
              sink.accept(Documents.decodeAudit(record(stored, hit.doc)));
            }
            if (top.scoreDocs.length < EXPORT_BATCH) {
              return null;
            }
            after = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
          }
        });
  }

  /** Alerts matching every filter, newest first. */
  public Page<Alert> alerts(TenantScope scope, AlertFilter filter, PageRequest page)
      throws InvalidQueryException {
    return list(
        Fields.KIND_ALERT,
        page,
        problems -> Queries.alerts(scope, filter, problems),
        Documents::decodeAlert);
  }

  /**
   * Live revocation notices (tombstoned ones are gone), newest first by the time the ledger
   * notified them (else revoked them), at or after {@code since} (null: all).
   */
  public Page<RevocationNotice> revocations(TenantScope scope, Instant since, PageRequest page)
      throws InvalidQueryException {
    return list(
        notices::acquire,
        Fields.KIND_REVOCATION,
        page,
        problems -> Queries.revocations(scope, since),
        Documents::decodeRevocation);
  }

  /**
   * For SSE resumption: notices and tombstones that {@code position} does not cover, at most {@code
   * limit} (clamped to 1..1000), ascending by partition, then offset. Only the latest change of
   * each token is kept, as on the compacted topic. {@link RevocationPosition#START} starts from the
   * oldest. The next page is the one after {@code position} advanced by this page.
   */
  public List<SequencedNotice> revocationsAfter(
      TenantScope scope, RevocationPosition position, int limit) {
    int n = Math.clamp(limit, PageRequest.MIN_LIMIT, PageRequest.MAX_LIMIT);
    Query query = Queries.revocationsAfter(scope, position);
    return withSearcher(
        notices::acquire,
        s -> {
          TopFieldDocs top = s.search(query, n, Sorts.TOPIC_ORDER);
          StoredFields stored = s.storedFields();
          List<SequencedNotice> out = new ArrayList<>(top.scoreDocs.length);
          for (ScoreDoc hit : top.scoreDocs) {
            Document d = stored.document(hit.doc);
            String key = d.get(Fields.KEY);
            int slash = key.indexOf('/');
            out.add(
                new SequencedNotice(
                    d.getField(Fields.REV_PARTITION).numericValue().intValue(),
                    d.getField(Fields.REV_OFFSET).numericValue().longValue(),
                    Documents.decodeRevocation(d.getBinaryValue(Fields.RECORD)),
                    key.substring(0, slash),
                    key.substring(slash + 1)));
          }
          return out;
        });
  }

  /**
   * The position just past every notice and tombstone searchable now, of every tenant: where an SSE
   * client that asked for live notices only starts, so that the ids it gets name every partition
   * and it resumes at another instance without a replay of what it never asked for. One pass over
   * the revocation documents' doc values (the latest record of each key, which includes each
   * partition's last one).
   */
  public RevocationPosition revocationsEnd() {
    return withSearcher(
        notices::acquire,
        s -> {
          Map<Integer, Long> end = new HashMap<>();
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            NumericDocValues partitions = leaf.reader().getNumericDocValues(Fields.REV_PARTITION);
            NumericDocValues offsets = leaf.reader().getNumericDocValues(Fields.REV_OFFSET);
            if (partitions == null || offsets == null) {
              continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            for (int doc = partitions.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = partitions.nextDoc()) {
              if ((live == null || live.get(doc)) && offsets.advanceExact(doc)) {
                end.merge((int) partitions.longValue(), offsets.longValue(), Math::max);
              }
            }
          }
          return RevocationPosition.of(end);
        });
  }

  /** Live documents of every kind (for status and tests). */
  public long documentCount() {
    return main.documentCount() + notices.documentCount();
  }

  // ---------------------------------------------------------------- writes

  // Every put has a twin taking the record's Kafka value ({@code encoded}, Avro single-object
  // bytes): it is stored as it came instead of being encoded again. Null encodes the record.

  /** Adds or replaces the token's document; returns the write's generation. */
  public long putToken(TokenNode token) throws IOException {
    return putToken(token, null);
  }

  /**
   * {@link #putToken(TokenNode)}, storing {@code encoded} (the Kafka value of {@code token}) as it
   * is.
   */
  public long putToken(TokenNode token, byte[] encoded) throws IOException {
    writes.updated();
    return main.writer()
        .updateDocument(
            Documents.tokenTerm(token.getTenant(), token.getTokenId()),
            Documents.token(token, encoded));
  }

  /** Removes a token's document (a tombstone on ledger.tokens). */
  public long deleteToken(String tenant, String tokenId) throws IOException {
    writes.deleted();
    return main.writer().deleteDocuments(Documents.tokenTerm(tenant, tokenId));
  }

  /**
   * Adds the audit record. Audit records are append-only: each is added, never looked up and
   * replaced, and a record is indexed once because the {@link Indexer} resumes from the positions
   * committed with the documents. Adding the same record twice gives two documents.
   */
  public long putAudit(AuditRecord record) throws IOException {
    return putAudit(record, null);
  }

  /**
   * {@link #putAudit(AuditRecord)}, storing {@code encoded} (the Kafka value of {@code record}) as
   * it is.
   */
  public long putAudit(AuditRecord record, byte[] encoded) throws IOException {
    writes.added();
    return main.writer().addDocument(Documents.audit(record, encoded, layout));
  }

  /**
   * Folds amendments of audit records (records with {@code amends}, in the order ledger.audit holds
   * them) into the documents of the records they amend: each document is replaced by the record as
   * first written with {@code violations} = the verdict now and {@code amends} saying what changed
   * and the verdict as first recorded ({@link Amendments}), so a search by violation finds every
   * use by its verdict now. Nothing else is replaced. Amendments are rare (a verdict changed): the
   * documents they amend are made searchable once per call, then looked up by id.
   */
  public void amendAudits(List<AuditRecord> amendments) throws IOException {
    if (amendments.isEmpty()) {
      return;
    }
    main.searchers().maybeRefreshBlocking(); // the originals may have been added in the same batch
    Map<String, AuditRecord> folded = new HashMap<>();
    for (AuditRecord amendment : amendments) {
      Term term = Documents.auditTerm(amendment);
      AuditRecord current;
      if (folded.containsKey(term.text())) {
        current = folded.get(term.text());
      } else {
        current = indexedAudit(new TermQuery(term));
        if (current == null) {
          // Written before v1.10 under the old id: replaced by a document under the new one.
          Query legacy = Documents.legacyAudit(amendment);
          current = indexedAudit(legacy);
          if (current != null) {
            main.writer().deleteDocuments(legacy);
          }
        }
      }
      AuditRecord now = Amendments.fold(current, amendment);
      folded.put(term.text(), now);
      writes.updated();
      main.writer().updateDocument(term, Documents.audit(now, null, layout));
    }
  }

  /** The audit records of the revocations of {@code tokenIds} that count at {@code time}. */
  private static List<AuditRecord> revocationsAt(
      IndexSearcher s, TenantScope scope, Set<String> tokenIds, PointInTime time)
      throws IOException {
    // A revocation is audited once; the cap only bounds a chain revoked over and over by distinct
    // events.
    TopDocs top = s.search(Queries.revocationsAt(scope, tokenIds, time), MAX_REVOCATIONS);
    StoredFields stored = s.storedFields();
    List<AuditRecord> out = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc hit : top.scoreDocs) {
      out.add(Documents.decodeAudit(record(stored, hit.doc)));
    }
    return out;
  }

  /**
   * The revocation in force on {@code node} among {@code revocations} (of any tokens, any tenant in
   * scope).
   */
  private static AuditRecord revocationOf(TokenNode node, List<AuditRecord> revocations) {
    Set<String> chain = TokenAnswers.revocableBy(node);
    return PointInTimeAnswers.earliest(
        revocations.stream()
            .filter(r -> r.getTenant().equals(node.getTenant()) && chain.contains(r.getTokenId()))
            .toList());
  }

  /**
   * The kinds of violation of {@code node}'s own events that count at {@code time}. Asks only for
   * the kinds not found yet, so it ends after at most one search per kind, however many uses share
   * a kind; with known_at a hit may count for less (amended later), then it pages on.
   */
  private static Set<ViolationKind> violationsAt(IndexSearcher s, TokenNode node, PointInTime time)
      throws IOException {
    EnumSet<ViolationKind> found = EnumSet.noneOf(ViolationKind.class);
    EnumSet<ViolationKind> missing = EnumSet.allOf(ViolationKind.class);
    ScoreDoc after = null;
    while (!missing.isEmpty()) {
      Query q = Queries.violationsAt(node.getTenant(), node.getTokenId(), missing, time);
      TopDocs top =
          after == null ? s.search(q, VIOLATION_BATCH) : s.searchAfter(after, q, VIOLATION_BATCH);
      boolean grew = false;
      for (ScoreDoc hit : top.scoreDocs) {
        for (ViolationKind kind :
            PointInTimeAnswers.verdict(
                Documents.decodeAudit(record(s.storedFields(), hit.doc)), time)) {
          grew |= found.add(kind);
        }
      }
      if (top.scoreDocs.length < VIOLATION_BATCH) {
        break;
      }
      missing.removeAll(found);
      after = grew ? null : top.scoreDocs[top.scoreDocs.length - 1];
    }
    return found;
  }

  /**
   * The audit record of the document {@code query} finds, as a searcher sees it now; null if none.
   */
  private AuditRecord indexedAudit(Query query) {
    return withSearcher(
        s -> {
          TopDocs top = s.search(query, 1);
          return top.scoreDocs.length == 0
              ? null
              : Documents.decodeAudit(record(s.storedFields(), top.scoreDocs[0].doc));
        });
  }

  /** Adds the alert; append-only like {@link #putAudit(AuditRecord)}. */
  public long putAlert(Alert alert) throws IOException {
    return putAlert(alert, null);
  }

  /**
   * {@link #putAlert(Alert)}, storing {@code encoded} (the Kafka value of {@code alert}) as it is.
   */
  public long putAlert(Alert alert, byte[] encoded) throws IOException {
    writes.added();
    return main.writer().addDocument(Documents.alert(alert, encoded));
  }

  /**
   * Adds or replaces the revocation of {@code tenant/tokenId} from the record at {@code offset} of
   * {@code partition} of ledger.revocations; a null notice is the tombstone that removes it.
   * Returns it with that place.
   */
  public SequencedNotice putRevocation(
      String tenant, String tokenId, RevocationNotice notice, int partition, long offset)
      throws IOException {
    return putRevocation(tenant, tokenId, notice, null, partition, offset);
  }

  /**
   * {@link #putRevocation(String, String, RevocationNotice, int, long)}, storing {@code encoded}
   * (the Kafka value) as it is.
   */
  public SequencedNotice putRevocation(
      String tenant,
      String tokenId,
      RevocationNotice notice,
      byte[] encoded,
      int partition,
      long offset)
      throws IOException {
    writes.updated();
    notices.put(tenant, tokenId, notice, encoded, partition, offset);
    return new SequencedNotice(partition, offset, notice, tenant, tokenId);
  }

  /**
   * Read-your-writes (CONTRACT.md section 4, {@code after_events}): completes once the records
   * derived from each of {@code eventIds} of {@code tenant} (null: of any tenant) are searchable
   * here, or with the ids not seen by then after {@code maxWait} or when the index closes; never
   * exceptionally. See {@link EventWaits} for what "derived" takes. Does not hold a thread while it
   * waits, nor force a reopen: the scheduled ones (25 to 500 ms) are checked as they come.
   *
   * @param eventIds at most {@link #MAX_AWAITED_EVENTS}
   * @param maxWait 0 to {@link #MAX_EVENT_WAIT}
   */
  public CompletableFuture<AwaitedEvents> awaitEvents(
      String tenant, List<String> eventIds, Duration maxWait) {
    if (eventIds.size() > MAX_AWAITED_EVENTS) {
      throw new IllegalArgumentException(
          "at most " + MAX_AWAITED_EVENTS + " event ids, got " + eventIds.size());
    }
    if (maxWait.isNegative() || maxWait.compareTo(MAX_EVENT_WAIT) > 0) {
      throw new IllegalArgumentException("maxWait out of 0.." + MAX_EVENT_WAIT + ": " + maxWait);
    }
    return waits.await(tenant, eventIds, maxWait);
  }

  /** Blocks until everything written before this call is searchable (at most 10 s). */
  public void awaitSearchable() throws InterruptedException {
    awaitNoticesSearchable();
    main.awaitSearchable(AWAIT_MAX_MS);
  }

  /**
   * Blocks until every revocation notice written before this call is searchable (at most 10 s),
   * reopening the notices alone: the other documents become searchable on their own schedule.
   */
  public void awaitNoticesSearchable() throws InterruptedException {
    notices.awaitSearchable(AWAIT_MAX_MS);
  }

  /**
   * Makes everything written durable, with the Kafka positions (next offset to read) it reaches;
   * positions of partitions not named keep their committed value.
   */
  public void commit(Map<TopicPartition, Long> positions) throws IOException {
    Map<TopicPartition, Long> ownTopics = new HashMap<>();
    Map<TopicPartition, Long> revocations = new HashMap<>();
    positions.forEach(
        (tp, position) -> (isRevocations(tp) ? revocations : ownTopics).put(tp, position));
    synchronized (commitLock) {
      // Each index holds the positions of its own topics, so either commit alone is consistent.
      notices.commit(revocations);
      // The positions kept in memory are where a recovery resumes: they change only once the
      // commit holding them succeeded.
      Map<String, String> next = new HashMap<>(commitData);
      CommitData.putOffsets(next, ownTopics);
      main.commit(next);
      commitData.putAll(next);
    }
  }

  /** The positions stored by the last commits: where a consumer resumes. */
  public Map<TopicPartition, Long> committedOffsets() {
    synchronized (commitLock) {
      Map<TopicPartition, Long> out = new HashMap<>(CommitData.offsets(commitData));
      out.putAll(notices.committedOffsets());
      return out;
    }
  }

  private static boolean isRevocations(TopicPartition tp) {
    return tp.topic().equals(Topics.REVOCATIONS.name());
  }

  /**
   * Commits what was written (with the positions of the last commit) and closes; when an {@link
   * Indexer} fed the index, drops what it wrote after its last {@link #commit(Map)} instead: those
   * records are read again from the committed positions, and committing their documents without
   * their positions (an indexer that failed, then a shutdown) would add them twice.
   */
  @Override
  public void close() {
    waits.close();
    try {
      notices.close(!fedByIndexer);
      main.close(!fedByIndexer);
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- for the Indexer and tests

  /**
   * After a write error (a full disk): drops everything written since the last commits, of the
   * notices and of the rest, and writes on from those commits, with new writers where the error
   * closed the old ones; {@link #committedOffsets()} are those commits' again, and the {@link
   * Indexer} reads on from there, so every record ends up indexed once. Searches answer meanwhile
   * from the last searchers opened, then from the last commits until the records are indexed again.
   * Throws if a writer cannot be opened yet; calling again later is safe.
   */
  void reopenFromLastCommit() throws IOException {
    synchronized (commitLock) {
      notices.reopenFromLastCommit();
      Map<String, String> last = main.reopenFromLastCommit();
      commitData.clear();
      commitData.putAll(last);
    }
  }

  /**
   * Throws when a write error stopped a writer or its last reopen: nothing more can be written
   * until {@link #reopenFromLastCommit()}.
   */
  void throwIfWriteFailed() throws IOException {
    notices.throwIfFailed();
    main.throwIfFailed();
  }

  /**
   * {@link #awaitNoticesSearchable()} for the {@link Indexer}: a reopen that failed on a write
   * error throws at once rather than leaving the notices unsearchable.
   */
  void awaitNoticesSearchableOrThrow() throws InterruptedException, IOException {
    if (!notices.awaitSearchable(AWAIT_MAX_MS)) {
      notices.throwIfFailed();
    }
  }

  /** Restarts near-real-time refresh with a new (idle) interval. */
  void refreshInterval(Duration refresh) {
    main.refreshInterval(refresh, maxRefresh(refresh));
    notices.refreshInterval(refresh, maxRefresh(refresh));
  }

  /**
   * Called by the {@link Indexer}: from now on only {@link #commit(Map)} makes documents durable.
   */
  void fedByIndexer() {
    fedByIndexer = true;
  }

  /** Lucene writes asked for so far, by kind (tests bound them per record). */
  WriteCounts.Snapshot writes() {
    return writes.snapshot();
  }

  /**
   * Reopens of the main index (tokens, audit records, alerts) forced by a waiter rather than
   * scheduled.
   */
  long forcedMainReopens() {
    return main.reopener().forcedReopens();
  }

  /** The current interval of scheduled reopens. */
  Duration currentRefreshInterval() {
    return main.reopener().interval();
  }

  void addRefreshListener(ReferenceManager.RefreshListener listener) {
    main.addRefreshListener(listener);
    notices.addRefreshListener(listener);
  }

  /** Test hook: stops as a killed process would, dropping everything not committed. */
  void crash() throws IOException {
    waits.close();
    notices.close(false);
    main.close(false);
    directory.close();
  }

  // ---------------------------------------------------------------- internals

  private static Duration maxRefresh(Duration refresh) {
    return refresh.compareTo(MAX_REFRESH_INTERVAL) > 0 ? refresh : MAX_REFRESH_INTERVAL;
  }

  /**
   * One page of a newest-first list: checks the page and builds the query, reporting every problem
   * at once.
   */
  private <T> Page<T> list(
      String list,
      PageRequest page,
      Function<Problems, Query> queryOf,
      Function<BytesRef, T> decode)
      throws InvalidQueryException {
    return list(main::acquire, list, page, queryOf, decode);
  }

  private <T> Page<T> list(
      SearcherSource from,
      String list,
      PageRequest page,
      Function<Problems, Query> queryOf,
      Function<BytesRef, T> decode)
      throws InvalidQueryException {
    Problems problems = new Problems();
    FieldDoc after = problems.page(page, list);
    Query query = queryOf.apply(problems);
    problems.throwIfAny();
    int limit = page.limit();
    return searchChecked(
        from,
        s -> {
          // One more than asked, to know whether there is a next page; threshold = n lets the
          // index-sorted search stop as soon as the page is full.
          TopFieldDocs top =
              s.search(
                  query,
                  new TopFieldCollectorManager(Sorts.NEWEST_FIRST, limit + 1, after, limit + 1));
          StoredFields stored = s.storedFields();
          int n = Math.min(limit, top.scoreDocs.length);
          List<T> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(decode.apply(record(stored, top.scoreDocs[i].doc)));
          }
          String next =
              top.scoreDocs.length > limit
                  ? Cursor.after(list, (FieldDoc) top.scoreDocs[limit - 1]).encode()
                  : null;
          return new Page<>(items, next);
        });
  }

  private static BytesRef record(StoredFields stored, int doc) throws IOException {
    return stored.document(doc).getBinaryValue(Fields.RECORD);
  }

  private interface SearchFn<R> {
    R apply(IndexSearcher searcher) throws IOException;
  }

  /** Where a search gets its searcher: the main index's or the notices' current one. */
  private interface SearcherSource {
    LiveWriter.Acquired acquire() throws IOException;
  }

  /** Runs a search on a current searcher; a q that expands to too many terms becomes a 400. */
  private <R> R searchChecked(SearchFn<R> fn) throws InvalidQueryException {
    return searchChecked(main::acquire, fn);
  }

  private <R> R searchChecked(SearcherSource from, SearchFn<R> fn) throws InvalidQueryException {
    try {
      return withSearcher(from, fn);
    } catch (IndexSearcher.TooManyClauses e) {
      throw new InvalidQueryException(
          "q", "matches too many terms (" + e.getMessage() + "); make wildcards more specific");
    }
  }

  private <R> R withSearcher(SearchFn<R> fn) {
    return withSearcher(main::acquire, fn);
  }

  private static <R> R withSearcher(SearcherSource from, SearchFn<R> fn) {
    try {
      LiveWriter.Acquired acquired = from.acquire();
      try {
        return fn.apply(acquired.searcher());
      } finally {
        acquired.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

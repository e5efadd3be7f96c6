package dev.ledger.index.internal;

import dev.ledger.index.AwaitedEvents;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes: reads waiting, up to a deadline, until the records derived from given events
 * are searchable in this index (CONTRACT.md section 4, {@code after_events}).
 *
 * <p>An event counts as seen once its audit document is searchable (the audit document carries the
 * event id, an indexed keyword), and, for a token definition, the token's document too (the
 * resolved one when the audit record names a root: a pending token's document comes first), and,
 * for a revocation, the revoked token's document with a revocation in force at or before the
 * revocation's time (Streams keeps the earliest one, so that document then reflects this
 * revocation, or an earlier one this revocation changes nothing to). Only the main index is asked:
 * the revocation notices have their own, faster reopens. The index never reads the events topic, so
 * a wait names event ids, not offsets.
 *
 * <p>No polling per request: this is a refresh listener of the main index's searchers, and after
 * each reopen that changed something one check answers every pending wait, with two queries
 * whatever the number of waits and ids (the audit documents of every awaited id, then the token
 * documents those need). Every wait is registered, checked, satisfied and expired on one thread of
 * its own, so the reopen thread only hands over, and a wait registered during a reopen is checked
 * either against the new searcher or by the check that reopen queues.
 */
public final class EventWaits implements ReferenceManager.RefreshListener, Closeable {

  private static final Logger log = LoggerFactory.getLogger(EventWaits.class);

  /** Audit documents read per search while checking: a page, not the whole match at once. */
  private static final int BATCH = 1000;

  private static final Set<String> DEFINITIONS =
      Set.of(
          EventType.ISSUED.wireName(),
          EventType.EXCHANGED.wireName(),
          EventType.ATTENUATED.wireName());

  private final LiveWriter index;
  private final ScheduledThreadPoolExecutor thread;

  /** Confined to {@link #thread}: the waits not yet satisfied nor expired. */
  private final List<Waiter> waiters = new ArrayList<>();

  private final AtomicBoolean checkQueued = new AtomicBoolean();
  private volatile boolean closed;

  /** Waits on {@code index}'s searchers, on a thread named {@code threadName}. */
  public EventWaits(LiveWriter index, String threadName) {
    this.index = index;
    this.thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    // Once closed, the deadlines still ahead are not waited for: close expires their waits.
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    thread.setRemoveOnCancelPolicy(true);
  }

  /**
   * Completes once the records derived from each of {@code eventIds} of {@code tenant} (null: of
   * any tenant) are searchable, with nothing {@link AwaitedEvents#notSeen() not seen}; or after
   * {@code maxWait}, or when this closes, with the ids not seen by then. Never completes
   * exceptionally.
   */
  public CompletableFuture<AwaitedEvents> await(
      String tenant, Collection<String> eventIds, Duration maxWait) {
    Waiter waiter =
        new Waiter(
            tenant,
            List.copyOf(new LinkedHashSet<>(eventIds)),
            System.nanoTime() + maxWait.toNanos());
    if (waiter.asked.isEmpty()) {
      waiter.future.complete(new AwaitedEvents(List.of()));
      return waiter.future;
    }
    if (!submit(() -> register(waiter))) {
      waiter.expire();
    }
    return waiter.future;
  }

  @Override
  public void beforeRefresh() {
    // Nothing: only what a reopen made searchable matters.
  }

  @Override
  public void afterRefresh(boolean didRefresh) {
    // Queued at most once: reopens coming faster than checks share one.
    if (didRefresh && checkQueued.compareAndSet(false, true) && !submit(this::checkAll)) {
      checkQueued.set(false);
    }
  }

  /**
   * Expires every pending wait with what it has not seen yet, and stops; a wait asked for later
   * expires at once.
   */
  @Override
  public void close() {
    closed = true;
    submit(
        () -> {
          waiters.forEach(Waiter::expire);
          waiters.clear();
        });
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("event waits did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean submit(Runnable task) {
    try {
      thread.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed
    }
  }

  /** On {@link #thread}: checks a new wait against the current searcher, then keeps it. */
  private void register(Waiter waiter) {
    if (closed) {
      waiter.expire();
      return;
    }
    check(List.of(waiter));
    if (waiter.pending.isEmpty()) {
      return;
    }
    waiters.add(waiter);
    // Scheduled here, after the registration: scheduled beside it, a deadline of 0 could run first.
    waiter.expiry =
        thread.schedule(
            () -> {
              if (waiters.remove(waiter)) {
                waiter.expire();
              }
            },
            waiter.deadlineNanos - System.nanoTime(),
            TimeUnit.NANOSECONDS);
  }

  private void checkAll() {
    checkQueued.set(false);
    if (!waiters.isEmpty()) {
      check(waiters);
    }
  }

  /** On {@link #thread}: completes (and forgets) every one of {@code some} satisfied now. */
  private void check(List<Waiter> some) {
    Set<String> ids = new HashSet<>();
    some.forEach(w -> ids.addAll(w.pending));
    Seen seen;
    try {
      LiveWriter.Acquired acquired = index.acquire();
      try {
        seen = seen(acquired.searcher(), ids);
      } finally {
        acquired.release();
      }
    } catch (IOException | RuntimeException e) {
      // A writer reopening after a write error (AlreadyClosedException), an undecodable document:
      // the waits stay, the next reopen checks again, and their deadlines end them meanwhile.
      log.warn("checking awaited events failed: {}", e.toString());
      return;
    }
    List<Waiter> done = new ArrayList<>();
    for (Waiter w : some) {
      w.pending.removeIf(id -> seen.has(w.tenant, id));
      if (w.pending.isEmpty()) {
        done.add(w);
      }
    }
    for (Waiter w : done) {
      waiters.remove(w);
      if (w.expiry != null) {
        w.expiry.cancel(false);
      }
      w.future.complete(new AwaitedEvents(List.of()));
    }
  }

  /** Which of {@code eventIds} have every derived record searchable in {@code s}, per tenant. */
  private static Seen seen(IndexSearcher s, Set<String> eventIds) throws IOException {
    Query audits =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_AUDIT)), BooleanClause.Occur.FILTER)
            .add(new TermInSetQuery(Fields.EVENT_ID, bytes(eventIds)), BooleanClause.Occur.FILTER)
            .build();
    // Per tenant and event id: the token documents its records need (empty: the audit suffices).
    Map<Seen.Key, List<Need>> found = new HashMap<>();
    StoredFields stored = s.storedFields();
    ScoreDoc after = null;
    while (true) {
      TopDocs top = after == null ? s.search(audits, BATCH) : s.searchAfter(after, audits, BATCH);
      for (ScoreDoc hit : top.scoreDocs) {
        AuditRecord r =
            Documents.decodeAudit(stored.document(hit.doc).getBinaryValue(Fields.RECORD));
        List<Need> needs =
            found.computeIfAbsent(
                new Seen.Key(r.getTenant(), r.getEventId()), k -> new ArrayList<>());
        Need need = Need.of(r);
        if (need != null) {
          needs.add(need);
        }
      }
      if (top.scoreDocs.length < BATCH) {
        break;
      }
      after = top.scoreDocs[top.scoreDocs.length - 1];
    }
    Map<String, TokenNode> tokens = tokens(s, found.values().stream().flatMap(List::stream));
    Set<Seen.Key> seen = new HashSet<>();
    found.forEach(
        (key, needs) -> {
          if (needs.stream().allMatch(n -> n.metBy(tokens.get(n.tokenKey())))) {
            seen.add(key);
          }
        });
    return new Seen(seen);
  }

  /** The token documents {@code needs} name, by {@link Need#tokenKey()}: one search for all. */
  private static Map<String, TokenNode> tokens(IndexSearcher s, Stream<Need> needs)
      throws IOException {
    Set<String> ids = new HashSet<>();
    needs.forEach(n -> ids.add(n.tokenKey()));
    Map<String, TokenNode> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    // _id is unique per document, so the search has at most one hit per id.
    TopDocs top = s.search(new TermInSetQuery(Fields.ID, bytes(ids)), ids.size());
    StoredFields stored = s.storedFields();
    for (ScoreDoc hit : top.scoreDocs) {
      TokenNode t = Documents.decodeToken(stored.document(hit.doc).getBinaryValue(Fields.RECORD));
      out.put(Documents.tokenTerm(t.getTenant(), t.getTokenId()).text(), t);
    }
    return out;
  }

  private static List<BytesRef> bytes(Set<String> values) {
    return values.stream().map(BytesRef::new).toList();
  }

  /**
   * What a token document must show besides an event's audit document: for a definition the token
   * (with {@code rootId} when the audit record names it), for a revocation a revocation in force at
   * or before {@code revokedBy}.
   */
  private record Need(String tenant, String tokenId, String rootId, Instant revokedBy) {

    /** What {@code r}'s event needs of its token's document; null: nothing. */
    static Need of(AuditRecord r) {
      if (r.getTokenId() == null) {
        return null;
      }
      if (DEFINITIONS.contains(r.getType())) {
        return new Need(r.getTenant(), r.getTokenId(), r.getRootId(), null);
      }
      if (EventType.REVOKED.wireName().equals(r.getType())) {
        return new Need(r.getTenant(), r.getTokenId(), null, r.getOccurredAt());
      }
      return null;
    }

    String tokenKey() {
      return Documents.tokenTerm(tenant, tokenId).text();
    }

    boolean metBy(TokenNode token) {
      if (token == null) {
        return false;
      }
      if (revokedBy != null) {
        return token.getRevokedAt() != null && !token.getRevokedAt().isAfter(revokedBy);
      }
      return rootId == null || rootId.equals(token.getRootId());
    }
  }

  /** The (tenant, event id) pairs seen by one check. */
  private record Seen(Set<Key> keys, Set<String> anyTenant) {

    record Key(String tenant, String eventId) {}

    Seen(Set<Key> keys) {
      this(keys, keys.stream().map(Key::eventId).collect(Collectors.toSet()));
    }

    /** Seen in {@code tenant}, or in any tenant when it is null. */
    boolean has(String tenant, String eventId) {
      return tenant == null ? anyTenant.contains(eventId) : keys.contains(new Key(tenant, eventId));
    }
  }

  /** One waiting read. Its mutable parts are confined to {@link #thread}. */
  private static final class Waiter {
    final String tenant;
    final List<String> asked;
    final Set<String> pending;
    final long deadlineNanos;
    final CompletableFuture<AwaitedEvents> future = new CompletableFuture<>();
    Future<?> expiry;

    Waiter(String tenant, List<String> asked, long deadlineNanos) {
      this.tenant = tenant;
      this.asked = asked;
      this.pending = new HashSet<>(asked);
      this.deadlineNanos = deadlineNanos;
      asked.forEach(Objects::requireNonNull);
    }

    /** Completes with the asked ids not seen, in the order asked. */
    void expire() {
      future.complete(new AwaitedEvents(asked.stream().filter(pending::contains).toList()));
    }
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.ViolationKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1, keyed by {@code tenant/token_id}: validates and dedupes events and learns each token's
 * tree root, so that stage 2 can work keyed by root.
 *
 * <p>A token.issued is its own root. A child asks its parent for the root with a {@link
 * LoopMessage} on the resolve topic; the parent answers at once or parks the question until its own
 * root is known, so a leaf-first chain resolves one step per missing ancestor, never by polling.
 * Only a parked question makes the child show itself {@code pending} on ledger.tokens (a {@code
 * PARKED} reply): one answered at once is followed by its resolved node within milliseconds, so the
 * pending node would be a record written only to be overwritten. An answer carries the parent's
 * depth: a token deeper than {@code maxDepth} is refused like a cycle ({@code depth_limit}), so no
 * chain beyond it ever reaches stage 2. Uses and revocations of a token wait here until its root is
 * known; a use of a token never seen becomes {@code unknown_token} after the grace, a revocation of
 * one is audited after the grace but kept forever, so the token is born revoked if it ever arrives.
 * A parent link that would close a cycle is found by a probe that follows pending parent links and
 * comes back to its origin; the token that finds itself is refused with a {@code cycle} alert and
 * never resolves. A probe carries its origin and a hop count only, and goes at most {@code
 * maxDepth} hops: beyond that its origin is deeper than {@code maxDepth} whether its root ever
 * arrives or not, so it is audited as an orphan at once (and refused if an answer ever reaches it),
 * and a chain of N pending tokens costs at most N * maxDepth probes of one id each.
 *
 * <p>Every event gets its audit record within the grace even when its chain never completes. A
 * request that reaches a parent never seen is timed: if the parent is still unknown when the grace
 * ends, the child gets an ORPHAN message and audits, without a chain, itself and every use or
 * revocation waiting on it, and passes ORPHAN on to its own waiting children (a refused cycle does
 * the same for its children). The link and the waiting events are flagged, so that stage 2 does not
 * audit them again if the ancestor turns up later. Nothing is timed for a child whose parent is
 * known, the usual case. Events are remembered by their identity (tenant, token, event id: the same
 * event id on another token is another event) forever, or for {@code dedupeRetention} after they
 * were first seen when one is set; a copy arriving later than that is processed again.
 */
public final class ResolverProcessor implements Processor<String, ResolverInput, Object, Object> {

  /** The processor's node name. */
  public static final String NAME = "resolver";

  private static final Logger LOG = LoggerFactory.getLogger(ResolverProcessor.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  /** Forgotten event ids per sweep at most, so one punctuation never stalls the task for long. */
  private static final int FORGET_PER_SWEEP = 10_000;

  private final Duration grace;
  private final Duration dedupeRetention;
  private final InjectedCrash crash;
  private final int maxDepth;
  private final LedgerLimits limits;
  private Outputs out;
  private KeyValueStore<String, Long> dedupe;
  private KeyValueStore<String, String> dedupeExpiry;
  private KeyValueStore<String, TokenLink> links;
  private KeyValueStore<String, String> waiters;
  private KeyValueStore<String, Parked> parked;
  private KeyValueStore<String, String> due;

  /**
   * @param grace how long a use or revocation of a never-seen token, or a token whose parent is
   *     unknown, waits before it is judged and audited without a chain
   * @param dedupeRetention how long an event id is remembered to drop duplicates; zero: forever
   * @param maxDepth tokens deeper than this are refused ({@code depth_limit}) and never resolve
   * @param limits how large any part of an event may be
   */
  public ResolverProcessor(
      Duration grace, Duration dedupeRetention, int maxDepth, LedgerLimits limits) {
    this(grace, dedupeRetention, maxDepth, limits, InjectedCrash.NONE);
  }

  /**
   * As {@link #ResolverProcessor(Duration, Duration, int, LedgerLimits)}, crashing the stream
   * thread where {@code crash} says (test-only).
   */
  public ResolverProcessor(
      Duration grace,
      Duration dedupeRetention,
      int maxDepth,
      LedgerLimits limits,
      InjectedCrash crash) {
    this.grace = grace;
    this.dedupeRetention = dedupeRetention;
    this.maxDepth = maxDepth;
    this.limits = limits;
    this.crash = crash;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    out = new Outputs(context, NAME);
    dedupe = context.getStateStore(LedgerStores.DEDUPE);
    dedupeExpiry = context.getStateStore(LedgerStores.DEDUPE_EXPIRY);
    links = context.getStateStore(LedgerStores.LINKS);
    waiters = context.getStateStore(LedgerStores.WAITERS);
    parked = context.getStateStore(LedgerStores.PARKED);
    due = context.getStateStore(LedgerStores.DUE);
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, ResolverInput> record) {
    switch (record.value()) {
      case RawEvent raw ->
          onEvent(
              record.key(), raw, record.timestamp(), SubmittedEvent.fromHeaders(record.headers()));
      case LoopMessage message -> onLoop(record.key(), message);
      case null ->
          out.dlq(
              bytes(record.key()),
              null,
              "missing_value",
              "a ledger.events record needs a LedgerEvent value");
    }
  }

  /**
   * @param timestamp the ledger.events record's timestamp: the record time of an event without one
   * @param submittedBy the {@code ledger.submitted_by} header: carried with the event to its audit
   *     record
   */
  private void onEvent(String key, RawEvent raw, long timestamp, String submittedBy) {
    crash.onEvent();
    LedgerEvent event =
        SubmittedEvent.of(RecordTime.stamp(raw.event(), timestamp, out.now()), submittedBy);
    List<RecordProblem> problems = RecordValidator.validate(key, event, limits);
    if (!problems.isEmpty()) {
      LOG.debug("rejected event {}: {}", event.getEventId(), RecordProblem.describe(problems));
      out.dlq(
          bytes(key),
          raw.bytes(),
          RecordProblem.codes(problems),
          RecordProblem.describe(problems),
          submittedBy);
      return;
    }
    // The event's identity (tenant, token, event id): the same event id on another token is
    // another event, and it is judged here, on its own token's key, whatever else this task holds.
    String dedupeKey = EventIdentity.of(key, event.getEventId()).key();
    if (dedupe.get(dedupeKey) != null) {
      return;
    }
    // A repeated definition lands on its token's key, whose link keeps the defining event id: it
    // is dropped there, so a definition costs no dedupe entry (and no expiry entry).
    TokenLink existing = links.get(key);
    boolean repeatsDefinition =
        existing != null && event.getEventId().equals(existing.definingEventId());
    if (repeatsDefinition) {
      return;
    }
    if (RecordValidator.definesToken(event.getType())) {
      if (existing != null) {
        out.dlq(
            bytes(key),
            raw.bytes(),
            Dlq.DUPLICATE_TOKEN,
            "token "
                + key
                + " is already defined by another event"
                + " (submitted by "
                + Dlq.submitter(existing.definedBy())
                + "); this one was submitted by "
                + Dlq.submitter(submittedBy),
            submittedBy);
        return;
      }
      onDefinition(key, event);
    } else {
      remember(dedupeKey);
      onUseOrRevocation(key, event, existing);
    }
  }

  private void remember(String dedupeKey) {
    long now = out.now();
    dedupe.put(dedupeKey, now);
    if (dedupeRetention.isZero()) {
      return;
    }
    dedupeExpiry.put(new ExpiryKey(now + dedupeRetention.toMillis(), dedupeKey).encode(), "");
  }

  /** Never seen, or already known not to resolve (an audited orphan, a refused cycle). */
  private static boolean notResolving(TokenLink link) {
    return link == null || link.audited() || link.state() == TokenLink.State.CYCLIC;
  }

  /** Makes the sweep look at {@code entry} once the grace is over. */
  private void judgeLater(DueEntry entry) {
    due.put(entry.encode(), "");
  }

  /** When an entry put in the sweep's index now is due. */
  private long dueAt() {
    return out.now() + grace.toMillis();
  }

  private void onDefinition(String key, LedgerEvent event) {
    LedgerKey self = LedgerKey.parse(key);
    String parent = event.getToken().getParentTokenId();
    TokenLink link = TokenLink.pending(event);
    if (parent == null) {
      resolve(key, link, self.tokenId(), 0);
      return;
    }
    links.put(key, link);
    if (parent.equals(self.tokenId())) {
      refuse(key, link, ViolationKind.cycle);
    } else {
      out.resolve(
          LedgerKey.of(self.tenant(), parent).toString(), LoopMessage.request(self.tokenId()));
    }
  }

  private void onUseOrRevocation(String key, LedgerEvent event, TokenLink link) {
    if (link != null && link.state() == TokenLink.State.RESOLVED) {
      out.tree(sameTenant(key, link.rootId()), TreeMessage.of(event, false));
      if (RecordValidator.REVOKED.equals(event.getType())) {
        out.commitSoon();
      }
      return;
    }
    parked.put(
        new EventKey(key, event.getEventId()).encode(),
        new Parked(event, out.now() + grace.toMillis(), false));
    if (notResolving(link)) {
      // A token merely pending is audited when its ORPHAN arrives, if ever.
      judgeLater(new DueEntry.ParkedEvent(dueAt(), key, event.getEventId()));
    }
  }

  private void onLoop(String key, LoopMessage message) {
    TokenLink link = links.get(key);
    boolean pending = link != null && link.state() == TokenLink.State.PENDING;
    switch (message) {
      case LoopMessage.Request request -> {
        String child = request.requester();
        if (link != null && link.state() == TokenLink.State.RESOLVED) {
          out.resolve(sameTenant(key, child), LoopMessage.answer(link.rootId(), link.depth()));
          return;
        }
        waiters.put(new ChildKey(key, child).encode(), "");
        out.resolve(sameTenant(key, child), LoopMessage.parked());
        if (notResolving(link)) {
          // an orphan unless this resolves within its grace
          judgeLater(new DueEntry.WaitingChild(dueAt(), key, child));
        }
        if (pending) {
          probe(key, link, child, 1);
        }
      }
      case LoopMessage.Probe probe -> {
        if (pending) {
          probe(key, link, probe.origin(), probe.hops());
        }
      }
      case LoopMessage.Answer answer -> {
        if (pending) {
          int depth = answer.depth() + 1;
          if (depth > maxDepth) {
            refuse(key, link, ViolationKind.depth_limit);
          } else {
            resolve(key, link, answer.rootId(), depth);
          }
        }
      }
      case LoopMessage.RequestParked parked -> {
        if (pending) {
          out.token(key, Derivation.pending(link.definition(), List.of()));
        }
      }
      case LoopMessage.Orphan orphan -> {
        if (pending && !link.audited()) {
          auditOrphan(key, link, out.now());
        }
      }
      case LoopMessage.TooDeep tooDeep -> {
        // Certain never to resolve, but which token sits exactly past the bound is known only once
        // the root is: an orphan now (so a cycle too long to probe is audited too), refused with
        // depth_limit if an answer ever comes.
        if (pending && !link.audited()) {
          auditOrphan(key, link, out.now());
        }
      }
    }
  }

  /**
   * Carries a new link of {@code origin} up through this pending token, which is {@code hops} above
   * it: finding the origin here means a cycle. The origin is at least one hop deeper than this
   * token's parent, root or not, so past the max depth the probe stops and the origin is told it
   * never resolves.
   */
  private void probe(String key, TokenLink link, String origin, int hops) {
    LedgerKey self = LedgerKey.parse(key);
    if (origin.equals(self.tokenId())) {
      refuse(key, link, ViolationKind.cycle);
      return;
    }
    int originDepth = hops + 1;
    if (originDepth > maxDepth) {
      out.resolve(sameTenant(key, origin), LoopMessage.tooDeep(origin, originDepth));
    } else {
      out.resolve(sameTenant(key, link.parentId()), LoopMessage.probe(origin, originDepth));
    }
  }

  /**
   * A token that must never resolve ({@code cycle}, {@code depth_limit}): TokenNode pending with
   * the kind, its audit record (unless it was audited as an orphan already) and an alert; what
   * waits on it is audited without a chain, and its waiting children are orphans.
   */
  private void refuse(String key, TokenLink link, ViolationKind kind) {
    TokenLink refused = link.cyclic();
    links.put(key, refused);
    LedgerEvent definition = link.definition();
    LOG.info("refused {} at {} (event {})", kind, key, definition.getEventId());
    long now = out.now();
    out.token(key, Derivation.pending(definition, List.of(kind)));
    if (!link.audited()) {
      out.audit(key, LedgerRecords.audit(definition, null, Set.of(kind), now));
    }
    out.alert(
        key, LedgerRecords.alert(definition, LedgerKey.parse(key).tokenId(), kind, null, now));
    for (KeyValue<String, Parked> entry : LedgerStores.scan(parked, key)) {
      auditWaiting(key, entry.key, refused, entry.value, now);
    }
    orphanWaiters(key); // a refused token never resolves: its children would wait forever
  }

  /** Tells every child waiting on {@code key} that its chain is not coming (for now). */
  private void orphanWaiters(String key) {
    for (KeyValue<String, String> waiter : LedgerStores.scan(waiters, key)) {
      out.resolve(sameTenant(key, ChildKey.parse(waiter.key).childId()), LoopMessage.orphan());
    }
  }

  /** The root of {@code key} is known: hand the token and everything waiting on it to stage 2. */
  private void resolve(String key, TokenLink link, String rootId, int depth) {
    links.put(key, link.resolved(rootId, depth));
    String treeKey = sameTenant(key, rootId);
    out.tree(treeKey, new TreeMessage.Definition(link.definition(), link.audited()));
    for (KeyValue<String, String> waiter : LedgerStores.drain(waiters, key)) {
      out.resolve(
          sameTenant(key, ChildKey.parse(waiter.key).childId()), LoopMessage.answer(rootId, depth));
    }
    for (KeyValue<String, Parked> entry : LedgerStores.drain(parked, key)) {
      out.tree(treeKey, TreeMessage.of(entry.value.event(), entry.value.audited()));
    }
  }

  /**
   * Once the grace is over: judges uses of tokens never seen ({@code unknown_token}), audits
   * without a chain what still waits on an unresolved token (its definition, its uses and
   * revocations), and forgets event ids older than the dedupe retention.
   */
  private void sweep(long now) {
    for (String dueKey : dueBefore(due, now, Integer.MAX_VALUE)) {
      due.delete(dueKey);
      DueEntry entry = DueEntry.parse(dueKey);
      TokenLink link = links.get(entry.token());
      if (link != null && link.state() == TokenLink.State.RESOLVED) {
        continue; // resolved within the grace: stage 2 audits it
      }
      switch (entry) {
        case DueEntry.WaitingChild child -> {
          if (waiters.get(new ChildKey(child.token(), child.childId()).encode()) != null) {
            out.resolve(sameTenant(child.token(), child.childId()), LoopMessage.orphan());
          }
        }
        case DueEntry.ParkedEvent event -> {
          String parkedKey = new EventKey(event.token(), event.eventId()).encode();
          Parked waiting = parked.get(parkedKey);
          if (waiting != null) {
            auditWaiting(event.token(), parkedKey, link, waiting, now);
          }
        }
      }
    }
    for (String expiryKey : dueBefore(dedupeExpiry, now, FORGET_PER_SWEEP)) {
      dedupeExpiry.delete(expiryKey);
      dedupe.delete(ExpiryKey.parse(expiryKey).key());
    }
  }

  /**
   * A token whose chain stays incomplete past the grace: itself, what waits on it, its waiting
   * children.
   */
  private void auditOrphan(String tokenKey, TokenLink link, long now) {
    links.put(tokenKey, link.markAudited());
    out.audit(tokenKey, LedgerRecords.audit(link.definition(), null, Set.of(), now));
    for (KeyValue<String, Parked> entry : LedgerStores.scan(parked, tokenKey)) {
      auditWaiting(tokenKey, entry.key, link, entry.value, now);
    }
    orphanWaiters(tokenKey);
  }

  /** A use or revocation still waiting: of a token never seen, or of one whose root is unknown. */
  private void auditWaiting(
      String tokenKey, String parkedKey, TokenLink link, Parked entry, long now) {
    LedgerEvent event = entry.event();
    boolean used = RecordValidator.USED.equals(event.getType());
    if (used && link == null) {
      parked.delete(parkedKey);
      out.audit(
          tokenKey, LedgerRecords.audit(event, null, Set.of(ViolationKind.unknown_token), now));
      out.alert(
          tokenKey,
          LedgerRecords.alert(
              event, LedgerKey.parse(tokenKey).tokenId(), ViolationKind.unknown_token, null, now));
      return;
    }
    if (!entry.audited()) {
      out.audit(tokenKey, LedgerRecords.audit(event, null, Set.of(), now));
    }
    if (link != null && link.state() == TokenLink.State.CYCLIC) {
      parked.delete(parkedKey); // a refused token never resolves: nothing will ever collect it
    } else if (!entry.audited()) {
      // Kept: a revocation of a token never seen makes it born revoked if it arrives; anything
      // waiting on an orphan goes on to stage 2 (not audited again) if the parent turns up.
      parked.put(parkedKey, entry.markAudited());
    }
  }

  /** At most {@code limit} keys of a time-indexed store up to {@code now}, oldest first. */
  private static List<String> dueBefore(KeyValueStore<String, String> index, long now, int limit) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        index.range(LedgerStores.timeKey(0), LedgerStores.timeKey(now))) {
      while (it.hasNext() && keys.size() < limit) {
        keys.add(it.next().key);
      }
    }
    return keys;
  }

  /**
   * The key of token {@code tokenId} in the tenant of {@code tokenKey} (its root, a child, a
   * parent).
   */
  private static String sameTenant(String tokenKey, String tokenId) {
    return LedgerKey.of(LedgerKey.parse(tokenKey).tenant(), tokenId).toString();
  }

  private static byte[] bytes(String key) {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.UseBody;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2, keyed by {@code tenant/root_id}: one partition holds a whole tree, so chains, effective
 * rights, budgets and the revocation cascade are local walks over the children index, whatever the
 * depth, and no hop goes back through Kafka.
 *
 * <p>Judgement is by event time (CONTRACT.md section 2). Use violations are raised only for {@code
 * outcome=allowed}: a denied use is the resource server doing its job. A revocation that arrives
 * after a use that happened later than it re-judges the stored use: the token gets {@code
 * use_after_revocation}, and the use an alert and an amendment of its audit record (a record on
 * ledger.audit with {@code amends} set, after the original in the same partition); the original is
 * never written again. Between two revocations reaching a token the earlier {@code revoked_at} wins
 * (ties: the smaller cause id), so every arrival order ends in the same state.
 *
 * <p>Budgets are judged the same way: the allowed uses counted against a token with {@code
 * max_uses} are ranked by event time (ties: event id), and the ones ranked beyond {@code max_uses}
 * are {@code usage_limit_exceeded}. A use that arrives late but happened earlier pushes the last
 * use within the budget out of it; that use is re-judged like a use re-judged by a revocation
 * (token violation, alert and amendment). A use audited by stage 1 before its chain was known gets
 * its verdict here, as an amendment too. So the verdicts on uses, read from the audit records with
 * their amendments applied, are the same in every arrival order, and the amendment path runs only
 * when a verdict changes.
 *
 * <p>A revocation's cascade is split over two transactions so that resource servers hear of it as
 * early as possible. The first writes the notices, straight from the subtree index (one iterator,
 * no node read per token) and sends a {@link TreeMessage#followUp follow-up} to this processor's
 * own input topic; the second, once the follow-up is readable, that is once the first committed,
 * updates the stored nodes, re-judges their uses and emits them on ledger.tokens. The revocation in
 * force on a token is therefore always computed from the revocations stored for its chain ({@link
 * Revocations#inForce}), never read from its node, which may still wait for its follow-up: a use, a
 * new child or an expiry in between is judged the same as after it.
 *
 * <p>A use is the hot path, so it writes no TokenNode unless it adds a violation to its token: it
 * writes its audit record, its stored use in {@code ledger-tree-pending-uses} and, only below a
 * token with {@code max_uses}, a budget entry. The {@code uses} counts of the token and its
 * ancestors are brought up to date by a wall-clock flush every {@code usesFlushInterval}, which
 * writes each node with pending uses in its subtree once, however many uses it counts, and moves
 * the pending uses to {@code ledger-tree-uses} in the same transaction. Until then a budget is
 * judged from the stored count plus the pending uses counted in memory ({@link #pendingCounts}),
 * which is rebuilt from the pending store whenever the processor starts, so a crash loses no count.
 */
public final class TreeProcessor implements Processor<String, TreeMessage, Object, Object> {

  /** The processor's node name. */
  public static final String NAME = "tree";

  private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

  /** Tokens a follow-up brings in line per call (tens of milliseconds of work). */
  static final int FOLLOW_UP_BATCH = 200;

  private record Attach(String key, TreeMessage definition, TokenNode parent) {}

  private final int depthLimit;
  private final Duration usesFlushInterval;

  /**
   * Per token, the allowed uses in its subtree (itself included) that are in {@code
   * ledger-tree-pending-uses} and not yet in its node's {@code uses}: derived state, rebuilt from
   * that store on {@link #init}, emptied by each flush.
   */
  private final Map<String, Long> pendingCounts = new HashMap<>();

  private Outputs out;
  private KeyValueStore<String, TreeMessage> definitions;

  /** Encoded TokenNodes: encoded once per change, for the store and for ledger.tokens alike. */
  private KeyValueStore<String, byte[]> nodes;

  private KeyValueStore<String, String> children;
  private KeyValueStore<String, String> subtrees;
  private Revocations revocations;
  private KeyValueStore<String, String> uses;
  private KeyValueStore<String, String> pendingUses;
  private Budgets budgets;
  private KeyValueStore<String, TreeMessage> waiting;
  private Expiry expiry;

  /**
   * @param depthLimit tokens deeper than this are flagged {@code depth_limit}
   * @param usesFlushInterval how often the {@code uses} counts of used tokens and their ancestors
   *     are written and emitted (wall clock)
   */
  public TreeProcessor(int depthLimit, Duration usesFlushInterval) {
    this.depthLimit = depthLimit;
    this.usesFlushInterval = usesFlushInterval;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    out = new Outputs(context, NAME);
    definitions = context.getStateStore(LedgerStores.DEFINITIONS);
    nodes = context.getStateStore(LedgerStores.NODES);
    children = context.getStateStore(LedgerStores.CHILDREN);
    subtrees = context.getStateStore(LedgerStores.SUBTREES);
    revocations = new Revocations(context.getStateStore(LedgerStores.REVOCATIONS));
    uses = context.getStateStore(LedgerStores.USES);
    pendingUses = context.getStateStore(LedgerStores.PENDING_USES);
    budgets =
        new Budgets(
            context.getStateStore(LedgerStores.BUDGETS),
            this::node,
            key -> pendingCounts.getOrDefault(key, 0L));
    waiting = context.getStateStore(LedgerStores.WAITING);
    expiry = new Expiry(context.getStateStore(LedgerStores.EXPIRY));
    context.schedule(EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expire);
    context.schedule(usesFlushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flushUses());
    pendingCounts.clear();
    Map<String, Long> perToken = new HashMap<>();
    try (KeyValueIterator<String, String> it = pendingUses.all()) {
      it.forEachRemaining(kv -> perToken.merge(EventKey.parse(kv.key).token(), 1L, Long::sum));
    }
    perToken.forEach(
        (key, count) -> {
          TokenNode node = node(key);
          if (node != null) {
            countPending(node, count);
          }
        });
  }

  @Override
  public void process(Record<String, TreeMessage> record) {
    TreeMessage message = record.value();
    LedgerEvent event = message.event();
    String key = LedgerKey.of(event.getTenant(), RecordValidator.tokenId(event)).toString();
    switch (message) {
      case TreeMessage.FollowUp followUp -> followUp(record.key(), key, followUp);
      case TreeMessage.Definition definition -> onDefinition(key, definition);
      case TreeMessage.Use use -> {
        TokenNode node = node(key);
        if (node == null) {
          waiting.put(new EventKey(key, event.getEventId()).encode(), use);
        } else {
          onUse(key, node, event, use.audited());
        }
      }
      case TreeMessage.Revocation revocation ->
          onRevocation(record.key(), key, event, revocation.audited());
    }
  }

  private void onDefinition(String key, TreeMessage.Definition message) {
    if (definitions.get(key) != null) {
      return;
    }
    definitions.put(key, message);
    LedgerEvent definition = message.event();
    String parentId = definition.getToken().getParentTokenId();
    TokenNode parent = null;
    if (parentId != null) {
      String parentKey = LedgerKey.of(definition.getTenant(), parentId).toString();
      parent = node(parentKey);
      if (parent == null) {
        // Attached when the parent is, which finds it here. A child whose parent is attached
        // already (the usual case) needs no entry: its subtree entry is what a cascade walks.
        children.put(new ChildKey(parentKey, definition.getToken().getTokenId()).encode(), "");
        return;
      }
    }
    Deque<Attach> queue = new ArrayDeque<>();
    queue.add(new Attach(key, message, parent));
    while (!queue.isEmpty()) {
      Attach next = queue.poll();
      TokenNode node = attach(next);
      for (KeyValue<String, String> child : LedgerStores.scan(children, next.key())) {
        String childKey =
            LedgerKey.of(definition.getTenant(), ChildKey.parse(child.key).childId()).toString();
        TreeMessage childDefinition = definitions.get(childKey);
        if (childDefinition != null && node(childKey) == null) {
          queue.add(new Attach(childKey, childDefinition, node));
        }
      }
    }
  }

  /** Derives one token below an attached parent, emits it, and replays what waited for it. */
  private TokenNode attach(Attach attach) {
    String key = attach.key();
    LedgerEvent definition = attach.definition().event();
    TokenNode parent = attach.parent();
    String tokenId = definition.getToken().getTokenId();
    Derivation.Derived derived = Derivation.derive(definition, parent, depthLimit);
    TokenNode node = derived.node(); // a new node: no uses to re-judge yet
    catchUp(key, node);
    publish(key, node);
    subtrees.put(
        SubtreePath.of(node).encoded(),
        new SubtreeEntry(node.getExpiresAt(), revocations.hasOwn(key)).encode());
    expiry.schedule(key, node.getExpiresAt());
    if (!attach.definition().audited()) {
      out.audit(key, LedgerRecords.audit(definition, node, derived.violations(), out.now()));
    } else if (!derived.violations().isEmpty()) {
      // Stage 1 audited it as an orphan, without a chain or a verdict: its verdict, now that its
      // parent (the cause) completed the chain, is an amendment, as is every alert's flag.
      TreeMessage cause =
          parent == null
              ? null
              : definitions.get(LedgerKey.of(parent.getTenant(), parent.getTokenId()).toString());
      out.audit(
          key,
          LedgerRecords.amendment(
              definition.getEventId(),
              definition.getType(),
              definition.getOccurredAt(),
              null,
              node,
              derived.violations(),
              cause == null ? null : cause.event(),
              out.now()));
    }
    alert(definition, tokenId, derived.violations(), node);
    if (node.getRevokedAt() != null) {
      notice(key, node, revocations.causeOf(node));
    }
    for (KeyValue<String, TreeMessage> entry : LedgerStores.drain(waiting, key)) {
      LedgerEvent event = entry.value.event();
      if (entry.value instanceof TreeMessage.Use) {
        node = onUse(key, node, event, entry.value.audited());
      } else if (!entry.value.audited()) {
        out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
      }
    }
    return node;
  }

  /**
   * Judges one use by event time and counts it as pending against the token and every ancestor (see
   * the class comment); a token with {@code max_uses} of its own also ranks it in its budget.
   *
   * @param audited stage 1 already wrote its audit record (its token was unresolved past the grace)
   */
  private TokenNode onUse(String key, TokenNode node, LedgerEvent event, boolean audited) {
    UseBody use = event.getUse();
    // A revocation whose follow-up is still on its way: store what it changed on the node now,
    // or the follow-up, finding the uses already flagged, would not flag the node.
    boolean changed = catchUp(key, node);
    if (use.getOutcome() != Outcome.allowed) {
      if (changed) {
        publish(key, node);
      }
      if (!audited) {
        out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
      }
      return node;
    }
    Instant at = event.getOccurredAt();
    EnumSet<ViolationKind> violations = EnumSet.noneOf(ViolationKind.class);
    if (node.getRevokedAt() != null && at.isAfter(node.getRevokedAt())) {
      violations.add(ViolationKind.use_after_revocation);
    }
    if (node.getExpiresAt() != null && at.isAfter(node.getExpiresAt())) {
      violations.add(ViolationKind.use_after_expiry);
    }
    if (!node.getAudience().isEmpty() && !node.getAudience().contains(use.getResource())) {
      violations.add(ViolationKind.audience_mismatch);
    }
    if (use.getActor() != null && !use.getActor().equals(node.getActor())) {
      violations.add(ViolationKind.holder_mismatch);
    }
    countPending(node, 1);
    List<Budgets.Pushed> pushed = new ArrayList<>();
    if (!budgets.rank(key, node, at.toEpochMilli(), event.getEventId(), pushed)) {
      violations.add(ViolationKind.usage_limit_exceeded);
    }
    List<ViolationKind> flagged = Violations.union(node.getViolations(), violations);
    if (changed || flagged.size() != node.getViolations().size()) {
      node.setViolations(flagged);
      publish(key, node);
    }
    pendingUses.put(
        new EventKey(key, event.getEventId()).encode(),
        new StoredUse(at.toEpochMilli(), Violations.mask(violations)).encode());
    if (!audited) {
      out.audit(key, LedgerRecords.audit(event, node, violations, out.now()));
    } else if (!violations.isEmpty()) {
      // Stage 1 audited it without a chain (no verdict on it but unknown_token): this is its
      // verdict.
      TreeMessage definition = definitions.get(key);
      out.audit(
          key,
          LedgerRecords.useAmendment(
              event.getEventId(),
              at,
              node,
              violations,
              definition == null ? null : definition.event(),
              out.now()));
    }
    alert(event, node.getTokenId(), violations, node);
    for (Budgets.Pushed p : pushed) {
      flagUse(p.tokenKey(), p.eventId(), ViolationKind.usage_limit_exceeded, event);
    }
    return pushed.isEmpty() ? node : node(key); // a pushed use may be of this token too
  }

  /**
   * Counts {@code count} more pending allowed uses of {@code node} against it and every ancestor.
   */
  private void countPending(TokenNode node, long count) {
    for (Hop hop : node.getChain()) {
      pendingCounts.merge(
          LedgerKey.of(node.getTenant(), hop.getTokenId()).toString(), count, Long::sum);
    }
  }

  private void onRevocation(String treeKey, String key, LedgerEvent event, boolean audited) {
    String tokenId = event.getRevocation().getTokenId();
    TokenNode node = node(key);
    Revoked before = node == null ? null : revocations.inForce(node);
    revocations.record(key, event);
    if (node == null) {
      waiting.put(
          new EventKey(key, event.getEventId()).encode(),
          new TreeMessage.Revocation(event, audited));
      return;
    }
    if (!audited) {
      out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
    }
    String path = SubtreePath.of(node).encoded();
    SubtreeEntry entry = SubtreeEntry.parse(subtrees.get(path));
    if (!entry.ownRevocation()) {
      subtrees.put(path, entry.withOwnRevocation().encode());
    }
    Revoked revoked = new Revoked(event.getOccurredAt(), tokenId);
    if (!revoked.beats(before)) {
      return; // an earlier revocation holds on it, so on its whole subtree: revoking twice changes
      // nothing
    }
    node.setRevokedAt(revoked.at());
    node.setRevocationCause(revoked.cause());
    rejudgeUses(key, node, revoked.at());
    notice(key, publish(key, node), event);
    out.commitSoon();
    if (noticeSubtree(path, node, revoked, event)) {
      // Only nodes this revocation reached need bringing in line: a leaf's costs no follow-up.
      out.tree(treeKey, TreeMessage.followUp(event));
    }
  }

  /**
   * The first half of a cascade below {@code top}: a notice for every descendant that this
   * revocation reaches first, from one iterator over the {@code ledger-tree-subtrees} index (every
   * token's key is its chain, so a subtree is a key prefix, parents first) and without reading a
   * node. A descendant with an earlier revocation of its own keeps it, and so does its subtree.
   * True if it noticed any descendant (whose node the follow-up must then bring in line).
   */
  private boolean noticeSubtree(String path, TokenNode top, Revoked revoked, LedgerEvent event) {
    String tenant = top.getTenant();
    String skipped = null;
    boolean reached = false;
    try (KeyValueIterator<String, String> it = LedgerStores.iterate(subtrees, path)) {
      while (it.hasNext()) {
        KeyValue<String, String> next = it.next();
        if (skipped != null && next.key.startsWith(skipped)) {
          continue;
        }
        SubtreePath descendant = new SubtreePath(next.key);
        String tokenId = descendant.tokenId();
        String key = LedgerKey.of(tenant, tokenId).toString();
        SubtreeEntry entry = SubtreeEntry.parse(next.value);
        Revoked own = entry.ownRevocation() ? revocations.own(key, tokenId) : null;
        if (own != null && own.beats(revoked)) {
          skipped = next.key + LedgerStores.SEP;
          continue;
        }
        Instant expiresAt = entry.expiresAt();
        out.revocation(
            key,
            LedgerRecords.notice(
                tenant,
                tokenId,
                top.getRootId(),
                top.getPrincipal(),
                descendant.depth(),
                expiresAt,
                revoked.at(),
                revoked.cause(),
                event,
                out.now()));
        expiry.tombstoneLater(key, expiresAt, out.now());
        reached = true;
      }
    }
    return reached;
  }

  /**
   * The second half of a cascade, in the transactions after the notices: brings the nodes below
   * {@code key} in line with the revocations in force, re-judges their uses and emits them, at most
   * {@link #FOLLOW_UP_BATCH} tokens per call. A larger subtree sends itself a follow-up to resume
   * after the last token done, so that the stream thread gets to other records (another
   * revocation's notices above all) between batches instead of after the whole subtree.
   */
  private void followUp(String treeKey, String key, TreeMessage.FollowUp message) {
    TokenNode top = node(key);
    if (top == null) {
      return;
    }
    String last = null;
    int done = 0;
    try (KeyValueIterator<String, String> it =
        LedgerStores.iterateAfter(subtrees, SubtreePath.of(top).encoded(), message.resumeAfter())) {
      while (it.hasNext()) {
        if (done == FOLLOW_UP_BATCH) {
          out.tree(treeKey, message.resumedAfter(last));
          return;
        }
        String subtreeKey = it.next().key;
        String descendantKey =
            LedgerKey.of(top.getTenant(), new SubtreePath(subtreeKey).tokenId()).toString();
        TokenNode descendant = node(descendantKey);
        if (descendant != null && catchUp(descendantKey, descendant)) {
          publish(descendantKey, descendant);
        }
        last = subtreeKey;
        done++;
      }
    }
    out.commitSoon(); // the cascade on ledger.tokens: no commit interval on top of the notices'
    // commit
  }

  /**
   * Sets on {@code node} the revocation in force on it and re-judges its stored uses if that
   * changed it; true if it did. The caller stores and emits the node.
   */
  private boolean catchUp(String key, TokenNode node) {
    Revoked revoked = revocations.inForce(node);
    if (revoked == null
        || (revoked.at().equals(node.getRevokedAt())
            && revoked.cause().equals(node.getRevocationCause()))) {
      return false;
    }
    node.setRevokedAt(revoked.at());
    node.setRevocationCause(revoked.cause());
    rejudgeUses(key, node, revoked.at());
    return true;
  }

  /** Flags stored allowed uses that happened after the (new, earlier) revocation time. */
  private void rejudgeUses(String key, TokenNode node, Instant revokedAt) {
    if (node.getUses() == 0 && !pendingCounts.containsKey(key)) {
      return; // no allowed use of it or below it: spare the scans (most of a large cascade)
    }
    EnumSet<ViolationKind> added = EnumSet.noneOf(ViolationKind.class);
    LedgerEvent cause = null;
    for (KeyValueStore<String, String> store : List.of(uses, pendingUses)) {
      for (KeyValue<String, String> entry : LedgerStores.scan(store, key)) {
        StoredUse use = StoredUse.parse(entry.value);
        if (use.occurredAt() > revokedAt.toEpochMilli()
            && flagStored(store, entry.key, use, ViolationKind.use_after_revocation)) {
          added.add(ViolationKind.use_after_revocation);
          if (cause == null) {
            cause = revocations.causeOf(node); // read once, and only when a verdict changed
          }
          rejudged(
              key,
              node,
              EventKey.parse(entry.key).eventId(),
              use,
              ViolationKind.use_after_revocation,
              cause);
        }
      }
    }
    if (!added.isEmpty()) {
      node.setViolations(Violations.union(node.getViolations(), added));
    }
  }

  /**
   * Re-judges one stored use of {@code tokenKey}: flags it and the token, raises the alert and
   * amends its audit record, once.
   *
   * @param cause the event that changed the verdict
   */
  private void flagUse(String tokenKey, String eventId, ViolationKind kind, LedgerEvent cause) {
    String useKey = new EventKey(tokenKey, eventId).encode();
    String pending = pendingUses.get(useKey);
    KeyValueStore<String, String> store = pending != null ? pendingUses : uses;
    String stored = pending != null ? pending : uses.get(useKey);
    TokenNode node = node(tokenKey);
    StoredUse use = stored == null ? null : StoredUse.parse(stored);
    if (use == null || node == null || !flagStored(store, useKey, use, kind)) {
      return;
    }
    node.setViolations(Violations.union(node.getViolations(), EnumSet.of(kind)));
    publish(tokenKey, node);
    rejudged(tokenKey, node, eventId, use, kind, cause);
  }

  /** Adds {@code kind} to a use stored in {@code store}; false if it had it already. */
  private boolean flagStored(
      KeyValueStore<String, String> store, String useKey, StoredUse use, ViolationKind kind) {
    if (use.has(kind)) {
      return false;
    }
    store.put(useKey, use.with(kind).encode());
    return true;
  }

  /**
   * The alert and the amendment of a use re-judged after its audit record was written (known by id
   * and time only): both or neither, so that no flagged use lacks its alert and no alert its flag.
   */
  private void rejudged(
      String key,
      TokenNode node,
      String eventId,
      StoredUse use,
      ViolationKind kind,
      LedgerEvent cause) {
    Instant at = Instant.ofEpochMilli(use.occurredAt());
    out.audit(
        key, LedgerRecords.useAmendment(eventId, at, node, EnumSet.of(kind), cause, out.now()));
    out.alert(
        key,
        LedgerRecords.alert(
            eventId,
            at,
            node.getTenant(),
            node.getTokenId(),
            kind,
            node,
            node.getActor(),
            out.now()));
  }

  /**
   * Adds the pending uses to the {@code uses} of every token that has some in its subtree, writing
   * and emitting each of those nodes once, and moves the pending uses to {@code ledger-tree-uses};
   * all in the punctuation's transaction, so the counts and the pending store never disagree.
   */
  private void flushUses() {
    for (Map.Entry<String, Long> pending : pendingCounts.entrySet()) {
      TokenNode node = node(pending.getKey());
      if (node != null) {
        node.setUses(node.getUses() + pending.getValue());
        publish(pending.getKey(), node);
      }
    }
    pendingCounts.clear();
    List<KeyValue<String, String>> moved = new ArrayList<>();
    try (KeyValueIterator<String, String> it = pendingUses.all()) {
      it.forEachRemaining(moved::add);
    }
    for (KeyValue<String, String> use : moved) {
      uses.put(use.key, use.value);
      pendingUses.delete(use.key);
    }
  }

  /**
   * Re-emits tokens that just expired, and replaces the notices of expired revoked ones with
   * tombstones.
   */
  private void expire(long now) {
    for (String key : expiry.takeExpired(now)) {
      TokenNode node = node(key);
      if (node == null) {
        continue;
      }
      if (catchUp(key, node)) {
        publish(key, node); // its revocation's follow-up is still on its way
      }
      if (node.getRevokedAt() != null) {
        out.revocation(key, null);
      } else if (Derivation.status(node, now) != node.getStatus()) {
        publish(key, node);
      }
    }
  }

  private void notice(String key, TokenNode node, LedgerEvent revocation) {
    out.revocation(key, LedgerRecords.notice(node, revocation, out.now()));
    expiry.tombstoneLater(key, node.getExpiresAt(), out.now());
  }

  private void alert(
      LedgerEvent event, String tokenId, Collection<ViolationKind> violations, TokenNode node) {
    for (ViolationKind kind : violations) {
      out.alert(
          LedgerKey.of(event.getTenant(), tokenId).toString(),
          LedgerRecords.alert(event, tokenId, kind, node, out.now()));
    }
  }

  /**
   * Stores {@code node} with its status as of now and emits it on ledger.tokens: one encoding for
   * both.
   */
  private TokenNode publish(String key, TokenNode node) {
    long now = out.now();
    node.setStatus(Derivation.status(node, now));
    node.setUpdatedAt(Instant.ofEpochMilli(now));
    byte[] encoded = LedgerStores.NODE_SERDE.encode(node);
    nodes.put(key, encoded);
    out.token(key, encoded);
    return node;
  }

  /** The stored node of {@code key}, a fresh copy, or null. */
  private TokenNode node(String key) {
    return LedgerStores.NODE_SERDE.decode(nodes.get(key));
  }
}

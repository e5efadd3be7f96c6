package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.UseBody;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The tree processor's verdicts on uses and their counts: judges a use by event time when it
 * arrives, keeps it ({@link StoredUse}) so that a later revocation or budget change can re-judge
 * it, and brings the {@code uses} counts of the tokens up to date once per flush.
 *
 * <p>A use is the hot path, so it writes no TokenNode unless it adds a violation to its token: it
 * writes its audit record, its stored use in {@code ledger-tree-pending-uses} and, only below a
 * token with {@code max_uses}, a budget entry ({@link Budgets}). The {@code uses} counts of the
 * token and its ancestors are brought up to date by {@link #flush}, which writes each node with
 * pending uses in its subtree once, however many uses it counts, and moves the pending uses to
 * {@code ledger-tree-uses} in the same transaction. Until then a budget is judged from the stored
 * count plus the pending uses counted in memory, which {@link #recount} rebuilds from the pending
 * store whenever the processor starts, so a crash loses no count.
 */
final class Uses {

  private final KeyValueStore<String, String> counted;
  private final KeyValueStore<String, String> pending;
  private final KeyValueStore<String, TreeMessage> definitions;
  private final TreeNodes nodes;
  private final Revocations revocations;
  private final Outputs out;
  private final Budgets budgets;

  /**
   * Per token, the allowed uses in its subtree (itself included) that are in {@code
   * ledger-tree-pending-uses} and not yet in its node's {@code uses}: derived state, rebuilt by
   * {@link #recount}, emptied by each {@link #flush}.
   */
  private final Map<String, Long> pendingCounts = new HashMap<>();

  /**
   * @param counted {@code ledger-tree-uses}: uses already counted in their tokens' {@code uses}
   * @param pending {@code ledger-tree-pending-uses}: uses the next flush counts
   * @param budgets {@code ledger-tree-budgets}
   * @param definitions {@code ledger-tree-definitions}: the cause named by an amendment
   */
  Uses(
      KeyValueStore<String, String> counted,
      KeyValueStore<String, String> pending,
      KeyValueStore<String, String> budgets,
      KeyValueStore<String, TreeMessage> definitions,
      TreeNodes nodes,
      Revocations revocations,
      Outputs out) {
    this.counted = counted;
    this.pending = pending;
    this.definitions = definitions;
    this.nodes = nodes;
    this.revocations = revocations;
    this.out = out;
    this.budgets = new Budgets(budgets, nodes::get, key -> pendingCounts.getOrDefault(key, 0L));
  }

  /**
   * True if the use {@code eventId} of {@code key} was judged and kept here already (allowed uses
   * are kept, pending or counted): a repeat, which changes nothing ({@link Dedupe#leftToTree}).
   */
  boolean stored(String key, String eventId) {
    String useKey = new EventKey(key, eventId).encode();
    return pending.get(useKey) != null || counted.get(useKey) != null;
  }

  /** Rebuilds the pending counts from {@code ledger-tree-pending-uses} (on start). */
  void recount() {
    pendingCounts.clear();
    Map<String, Long> perToken = new HashMap<>();
    try (KeyValueIterator<String, String> it = pending.all()) {
      it.forEachRemaining(kv -> perToken.merge(EventKey.parse(kv.key).token(), 1L, Long::sum));
    }
    perToken.forEach(
        (key, count) -> {
          TokenNode node = nodes.get(key);
          if (node != null) {
            countPending(node, count);
          }
        });
  }

  /**
   * Judges one use by event time and counts it as pending against the token and every ancestor; a
   * token with {@code max_uses} of its own also ranks it in its budget. Returns the node as it now
   * stands.
   *
   * @param audited stage 1 already wrote its audit record (its token was unresolved past the grace)
   * @param changed the node's revocation was just brought in line ({@link Cascade#catchUp}): it is
   *     stored even if the use adds no violation, or the follow-up, finding the uses already
   *     flagged, would not flag the node
   */
  TokenNode judge(String key, TokenNode node, LedgerEvent event, boolean audited, boolean changed) {
    UseBody use = event.getUse();
    if (use.getOutcome() != Outcome.allowed) {
      if (changed) {
        nodes.publish(key, node);
      }
      if (!audited) {
        out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
      }
      return node;
    }
    Instant at = event.getOccurredAt();
    EnumSet<ViolationKind> violations = violations(node, use, at);
    countPending(node, 1);
    List<Budgets.Pushed> pushed = new ArrayList<>();
    if (!budgets.rank(key, node, at.toEpochMilli(), event.getEventId(), pushed)) {
      violations.add(ViolationKind.usage_limit_exceeded);
    }
    List<ViolationKind> flagged = Violations.union(node.getViolations(), violations);
    if (changed || flagged.size() != node.getViolations().size()) {
      node.setViolations(flagged);
      nodes.publish(key, node);
    }
    pending.put(
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
    out.alerts(event, node.getTokenId(), violations, node);
    for (Budgets.Pushed p : pushed) {
      flag(p.tokenKey(), p.eventId(), ViolationKind.usage_limit_exceeded, event);
    }
    return pushed.isEmpty() ? node : nodes.get(key); // a pushed use may be of this token too
  }

  /** What an allowed use at {@code at} violates on {@code node}, its budget aside. */
  private static EnumSet<ViolationKind> violations(TokenNode node, UseBody use, Instant at) {
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
    return violations;
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

  /**
   * Flags the stored allowed uses of {@code node} that happened after {@code revokedAt} (a new,
   * earlier revocation time), each once, with its alert and amendment, and adds the violation to
   * {@code node}; the caller stores and emits the node.
   */
  void rejudgeAfter(String key, TokenNode node, Instant revokedAt) {
    if (node.getUses() == 0 && !pendingCounts.containsKey(key)) {
      return; // no allowed use of it or below it: spare the scans (most of a large cascade)
    }
    EnumSet<ViolationKind> added = EnumSet.noneOf(ViolationKind.class);
    LedgerEvent cause = null;
    for (KeyValueStore<String, String> store : List.of(counted, pending)) {
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
  private void flag(String tokenKey, String eventId, ViolationKind kind, LedgerEvent cause) {
    String useKey = new EventKey(tokenKey, eventId).encode();
    String pendingUse = pending.get(useKey);
    KeyValueStore<String, String> store = pendingUse != null ? pending : counted;
    String stored = pendingUse != null ? pendingUse : counted.get(useKey);
    TokenNode node = nodes.get(tokenKey);
    StoredUse use = stored == null ? null : StoredUse.parse(stored);
    if (use == null || node == null || !flagStored(store, useKey, use, kind)) {
      return;
    }
    node.setViolations(Violations.union(node.getViolations(), EnumSet.of(kind)));
    nodes.publish(tokenKey, node);
    rejudged(tokenKey, node, eventId, use, kind, cause);
  }

  /** Adds {@code kind} to a use stored in {@code store}; false if it had it already. */
  private static boolean flagStored(
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
  void flush() {
    for (Map.Entry<String, Long> count : pendingCounts.entrySet()) {
      TokenNode node = nodes.get(count.getKey());
      if (node != null) {
        node.setUses(node.getUses() + count.getValue());
        nodes.publish(count.getKey(), node);
      }
    }
    pendingCounts.clear();
    List<KeyValue<String, String>> moved = new ArrayList<>();
    try (KeyValueIterator<String, String> it = pending.all()) {
      it.forEachRemaining(moved::add);
    }
    for (KeyValue<String, String> use : moved) {
      counted.put(use.key, use.value);
      pending.delete(use.key);
    }
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A token joins its parent's tree: derived below its attached parent ({@link Derivation}), stored,
 * emitted, indexed for cascades and expiry, audited, and followed by whatever waited for it. A
 * definition whose parent is not attached yet waits in {@code ledger-tree-children} and is attached
 * with its parent, its own waiting children after it; a use or revocation of a token not attached
 * yet waits in {@code ledger-tree-waiting} ({@link #park}) and is replayed once it is.
 */
final class Attachment {

  private record Attach(String key, TreeMessage definition, TokenNode parent) {}

  private final KeyValueStore<String, TreeMessage> definitions;
  private final Drainable<String> children;
  private final KeyValueStore<String, String> subtrees;
  private final Drainable<TreeMessage> waiting;
  private final TreeNodes nodes;
  private final Revocations revocations;
  private final Uses uses;
  private final Cascade cascade;
  private final Expiry expiry;
  private final Outputs out;
  private final int depthLimit;

  /**
   * @param definitions {@code ledger-tree-definitions}: every defining message by token key
   * @param children {@code ledger-tree-children}: {@link ChildKey}s of children defined before
   *     their parent was attached, until it is
   * @param subtrees {@code ledger-tree-subtrees}: where an attached token's entry goes
   * @param waiting {@code ledger-tree-waiting}: uses and revocations of tokens not attached yet
   * @param depthLimit tokens deeper than this are flagged {@code depth_limit}
   */
  Attachment(
      KeyValueStore<String, TreeMessage> definitions,
      KeyValueStore<String, String> children,
      KeyValueStore<String, String> subtrees,
      KeyValueStore<String, TreeMessage> waiting,
      TreeNodes nodes,
      Revocations revocations,
      Uses uses,
      Cascade cascade,
      Expiry expiry,
      Outputs out,
      int depthLimit) {
    this.definitions = definitions;
    this.children = new Drainable<>(children);
    this.subtrees = subtrees;
    this.waiting = new Drainable<>(waiting);
    this.nodes = nodes;
    this.revocations = revocations;
    this.uses = uses;
    this.cascade = cascade;
    this.expiry = expiry;
    this.out = out;
    this.depthLimit = depthLimit;
  }

  /**
   * A definition of token {@code key} (once: a repeat is dropped): attached at once with the
   * children that waited for it if its parent is attached or it is a root, else left to wait.
   */
  void define(String key, TreeMessage.Definition message) {
    if (definitions.get(key) != null) {
      return;
    }
    definitions.put(key, message);
    LedgerEvent definition = message.event();
    String parentId = definition.getToken().getParentTokenId();
    TokenNode parent = null;
    if (parentId != null) {
      String parentKey = LedgerKey.of(definition.getTenant(), parentId).toString();
      parent = nodes.get(parentKey);
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
      // Drained, not scanned: nearly every token has no waiting child, and then this touches no
      // store (Drainable); a parent is attached once, so its entries are never needed again.
      for (KeyValue<String, String> child : children.drain(next.key())) {
        String childKey =
            LedgerKey.of(definition.getTenant(), ChildKey.parse(child.key).childId()).toString();
        TreeMessage childDefinition = definitions.get(childKey);
        if (childDefinition != null && nodes.get(childKey) == null) {
          queue.add(new Attach(childKey, childDefinition, node));
        }
      }
    }
  }

  /** True if the event {@code eventId} of the token {@code key} waits for it already. */
  boolean waits(String key, String eventId) {
    return waiting.get(new EventKey(key, eventId).encode()) != null;
  }

  /** A use or revocation of the token {@code key}, not attached yet: replayed when it is. */
  void park(String key, TreeMessage message) {
    waiting.put(new EventKey(key, message.event().getEventId()).encode(), message);
  }

  /** Derives one token below an attached parent, emits it, and replays what waited for it. */
  private TokenNode attach(Attach attach) {
    String key = attach.key();
    LedgerEvent definition = attach.definition().event();
    TokenNode parent = attach.parent();
    Derivation.Derived derived = Derivation.derive(definition, parent, depthLimit);
    TokenNode node = derived.node(); // a new node: no uses to re-judge yet
    cascade.catchUp(key, node);
    nodes.publish(key, node);
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
    out.alerts(definition, definition.getToken().getTokenId(), derived.violations(), node);
    if (node.getRevokedAt() != null) {
      cascade.notice(key, node, revocations.causeOf(node));
    }
    for (KeyValue<String, TreeMessage> entry : waiting.drain(key)) {
      LedgerEvent event = entry.value.event();
      if (entry.value instanceof TreeMessage.Use) {
        node = uses.judge(key, node, event, entry.value.audited(), cascade.catchUp(key, node));
      } else if (!entry.value.audited()) {
        out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
      }
    }
    return node;
  }
}

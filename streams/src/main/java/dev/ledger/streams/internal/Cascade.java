package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A revocation's cascade over the subtree of the token it names, split over two transactions so
 * that resource servers hear of it as early as possible. The first ({@link #revoke}) writes the
 * notices, straight from the subtree index (one iterator, no node read per token), and sends a
 * {@link TreeMessage#followUp follow-up} to the tree processor's own input topic; the second
 * ({@link #followUp}), once the follow-up is readable, that is once the first committed, updates
 * the stored nodes, re-judges their uses and emits them on ledger.tokens.
 *
 * <p>The revocation in force on a token is therefore always computed from the revocations stored
 * for its chain ({@link Revocations#inForce}), never read from its node, which may still wait for
 * its follow-up: a use, a new child or an expiry in between is judged the same as after it, each
 * bringing its node in line first ({@link #catchUp}). Between two revocations reaching a token the
 * earlier wins (ties: the smaller cause id), so every arrival order ends in the same state.
 */
final class Cascade {

  /** Tokens a follow-up brings in line per call (tens of milliseconds of work). */
  static final int FOLLOW_UP_BATCH = 200;

  private final KeyValueStore<String, String> subtrees;
  private final Revocations revocations;
  private final TreeNodes nodes;
  private final Uses uses;
  private final Expiry expiry;
  private final Outputs out;

  /**
   * @param subtrees {@code ledger-tree-subtrees}: every attached token by its {@link SubtreePath},
   *     to a {@link SubtreeEntry}
   */
  Cascade(
      KeyValueStore<String, String> subtrees,
      Revocations revocations,
      TreeNodes nodes,
      Uses uses,
      Expiry expiry,
      Outputs out) {
    this.subtrees = subtrees;
    this.revocations = revocations;
    this.nodes = nodes;
    this.uses = uses;
    this.expiry = expiry;
    this.out = out;
  }

  /**
   * A {@code token.revoked} of the attached token {@code key}: kept, audited, and, unless an
   * earlier revocation already holds on it, its node revoked and the notices of its subtree sent.
   *
   * @param treeKey the key of the tree ({@code tenant/root_id}), where the follow-up goes
   */
  void revoke(String treeKey, String key, TokenNode node, TreeMessage.Revocation message) {
    LedgerEvent event = message.event();
    Revoked before = revocations.inForce(node);
    revocations.record(key, event);
    if (!message.audited()) {
      out.audit(key, LedgerRecords.audit(event, node, Set.of(), out.now()));
    }
    String path = SubtreePath.of(node).encoded();
    SubtreeEntry entry = SubtreeEntry.parse(subtrees.get(path));
    if (!entry.ownRevocation()) {
      subtrees.put(path, entry.withOwnRevocation().encode());
    }
    Revoked revoked = new Revoked(event.getOccurredAt(), event.getRevocation().getTokenId());
    if (!revoked.beats(before)) {
      return; // an earlier revocation holds on it, so on its whole subtree: revoking twice changes
      // nothing
    }
    node.setRevokedAt(revoked.at());
    node.setRevocationCause(revoked.cause());
    uses.rejudgeAfter(key, node, revoked.at());
    notice(key, nodes.publish(key, node), event);
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
   *
   * <p>A subtree that fits in one batch asks for a commit at once, so it is on ledger.tokens right
   * after its notices. A larger one's batches do not: each resumption becomes readable with the
   * next commit on the commit interval, so such a subtree is caught up at {@link #FOLLOW_UP_BATCH}
   * tokens per commit interval (2,000 a second with the defaults, CONTRACT.md "Changes", v1.19).
   * Asking for a commit after every batch ran a 10,000-token subtree in fifty back-to-back
   * transactions, each writing 200 nodes, their changelog and 200 index updates, and the next
   * revocation's notices waited behind them (BENCHMARKS.md, "A cascade's follow-up, paced").
   * Nothing reads a descendant's revocation from its node meanwhile: {@link Revocations#inForce}
   * decides, and the API resolves status from the notices.
   */
  void followUp(String treeKey, String key, TreeMessage.FollowUp message) {
    TokenNode top = nodes.get(key);
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
        TokenNode descendant = nodes.get(descendantKey);
        if (descendant != null && catchUp(descendantKey, descendant)) {
          nodes.publish(descendantKey, descendant);
        }
        last = subtreeKey;
        done++;
      }
    }
    if (message.resumeAfter() == null) {
      // The whole subtree fit in one batch: on ledger.tokens right after the notices, as the
      // chains' were always; only a larger subtree's batches wait for the commit interval.
      out.commitSoon();
    }
  }

  /**
   * Sets on {@code node} the revocation in force on it and re-judges its stored uses if that
   * changed it; true if it did. The caller stores and emits the node.
   */
  boolean catchUp(String key, TokenNode node) {
    Revoked revoked = revocations.inForce(node);
    if (revoked == null
        || (revoked.at().equals(node.getRevokedAt())
            && revoked.cause().equals(node.getRevocationCause()))) {
      return false;
    }
    node.setRevokedAt(revoked.at());
    node.setRevocationCause(revoked.cause());
    uses.rejudgeAfter(key, node, revoked.at());
    return true;
  }

  /** The notice of a revoked token, from its node, and its tombstone once it expired. */
  void notice(String key, TokenNode node, LedgerEvent revocation) {
    out.revocation(key, LedgerRecords.notice(node, revocation, out.now()));
    expiry.tombstoneLater(key, node.getExpiresAt(), out.now());
  }
}

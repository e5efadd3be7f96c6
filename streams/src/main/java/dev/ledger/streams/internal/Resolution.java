package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.ViolationKind;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The REQUEST side of the resolve loop: how a token learns its tree's root. A token.issued is its
 * own root. A child sends a {@link LoopMessage.Request} to its parent, which answers at once
 * ({@link LoopMessage.Answer}, with its root and depth) or parks the request until its own root is
 * known, so a leaf-first chain resolves one step per missing ancestor, never by polling. Only a
 * parked request makes the child show itself {@code pending} on ledger.tokens (a {@link
 * LoopMessage.RequestParked} reply): one answered at once is followed by its resolved node within
 * milliseconds. Uses and revocations of a token wait in {@code ledger-parked} until its root is
 * known; once it is, the token and all that waited on it go on to stage 2, keyed by the root.
 */
final class Resolution {

  private final KeyValueStore<String, TokenLink> links;
  private final Drainable<String> waiters;
  private final Drainable<Parked> parked;
  private final Probes probes;
  private final Orphans orphans;
  private final ResolvedRoots roots;
  private final Outputs out;

  /**
   * @param links {@code ledger-links}: what stage 1 knows of each token
   * @param waiters {@code ledger-waiters}: parked requests, by {@link ChildKey}
   * @param parked {@code ledger-parked}: uses and revocations waiting on their token's root
   * @param roots the roots this instance resolved, which a child of one of them resolves from
   */
  Resolution(
      KeyValueStore<String, TokenLink> links,
      Drainable<String> waiters,
      Drainable<Parked> parked,
      Probes probes,
      Orphans orphans,
      ResolvedRoots roots,
      Outputs out) {
    this.links = links;
    this.waiters = waiters;
    this.parked = parked;
    this.probes = probes;
    this.orphans = orphans;
    this.roots = roots;
    this.out = out;
  }

  /**
   * A new token: a root resolves at once, and so does a child whose parent this instance resolved
   * ({@link ResolvedRoots}); any other child asks its parent for the root.
   */
  void define(String key, LedgerEvent event) {
    LedgerKey self = LedgerKey.parse(key);
    String parent = event.getToken().getParentTokenId();
    TokenLink link = TokenLink.pending(event);
    if (parent == null) {
      resolve(key, link, self.tokenId(), 0);
      return;
    }
    String parentKey = LedgerKey.of(self.tenant(), parent).toString();
    if (!parent.equals(self.tokenId()) && answeredHere(key, link, parentKey)) {
      return;
    }
    links.put(key, link);
    if (parent.equals(self.tokenId())) {
      probes.refuse(key, link, ViolationKind.cycle);
    } else {
      out.resolve(parentKey, LoopMessage.request(self.tokenId()));
    }
  }

  /**
   * A use or revocation of the token {@code key}: on to stage 2 if its root is known, else parked
   * until it is (and judged after the grace if the token is not on its way to resolve).
   */
  void route(String key, LedgerEvent event, TokenLink link) {
    if (link != null && link.state() == TokenLink.State.RESOLVED) {
      out.tree(LedgerStores.sameTenant(key, link.rootId()), TreeMessage.of(event, false));
      if (RecordValidator.REVOKED.equals(event.getType())) {
        out.commitSoon();
      }
      return;
    }
    parked.put(
        new EventKey(key, event.getEventId()).encode(), new Parked(event, orphans.dueAt(), false));
    if (Orphans.notResolving(link)) {
      // A token merely pending is audited when its ORPHAN arrives, if ever.
      orphans.judgeLater(new DueEntry.ParkedEvent(orphans.dueAt(), key, event.getEventId()));
    }
  }

  /**
   * A REQUEST from {@code child} to the token {@code key}: answered at once if its root is known,
   * else parked (and, while this token is pending, probed for a cycle through it).
   */
  void request(String key, TokenLink link, String child) {
    if (link != null && link.state() == TokenLink.State.RESOLVED) {
      out.resolve(
          LedgerStores.sameTenant(key, child), LoopMessage.answer(link.rootId(), link.depth()));
      return;
    }
    waiters.put(new ChildKey(key, child).encode(), "");
    out.resolve(LedgerStores.sameTenant(key, child), LoopMessage.parked());
    if (Orphans.notResolving(link)) {
      // an orphan unless this resolves within its grace
      orphans.judgeLater(new DueEntry.WaitingChild(orphans.dueAt(), key, child));
    }
    if (link != null && link.state() == TokenLink.State.PENDING) {
      probes.probe(key, link, child, 1);
    }
  }

  /**
   * {@code link} brought up to date: a pending token whose parent this instance has resolved since
   * it asked resolves now ({@link ResolvedRoots}), as the parent's answer would resolve it, so what
   * arrives for it meanwhile goes on instead of waiting for the answer (which, when it comes, finds
   * the token resolved and changes nothing). Returns the link as it now stands.
   */
  TokenLink catchUp(String key, TokenLink link) {
    boolean pending = link != null && link.state() == TokenLink.State.PENDING;
    return pending && answeredHere(key, link, LedgerStores.sameTenant(key, link.parentId()))
        ? links.get(key)
        : link;
  }

  /**
   * Answers the token {@code key} from {@link ResolvedRoots} if its parent {@code parentKey} is
   * there, as the parent's ANSWER would; false if it is not.
   */
  private boolean answeredHere(String key, TokenLink link, String parentKey) {
    ResolvedRoots.Root known = roots.get(parentKey);
    if (known == null) {
      return false;
    }
    answer(key, link, known.rootId(), known.depth());
    return true;
  }

  /** The ANSWER of the parent of the pending token {@code key}: resolved, or refused too deep. */
  void answer(String key, TokenLink link, LoopMessage.Answer answer) {
    answer(key, link, answer.rootId(), answer.depth());
  }

  /** The parent of {@code key} is at {@code parentDepth} below {@code rootId}. */
  private void answer(String key, TokenLink link, String rootId, int parentDepth) {
    int depth = parentDepth + 1;
    if (probes.tooDeep(depth)) {
      probes.refuse(key, link, ViolationKind.depth_limit);
    } else {
      resolve(key, link, rootId, depth);
    }
  }

  /** The parent of the pending token {@code key} parked its request: it shows itself pending. */
  void requestParked(String key, TokenLink link) {
    out.token(key, Derivation.pending(link.definition(), List.of()));
  }

  /** The root of {@code key} is known: hand the token and everything waiting on it to stage 2. */
  private void resolve(String key, TokenLink link, String rootId, int depth) {
    links.put(key, link.resolved(rootId, depth));
    roots.put(key, rootId, depth);
    String treeKey = LedgerStores.sameTenant(key, rootId);
    out.tree(treeKey, new TreeMessage.Definition(link.definition(), link.audited()));
    for (KeyValue<String, String> waiter : waiters.drain(key)) {
      out.resolve(
          LedgerStores.sameTenant(key, ChildKey.parse(waiter.key).childId()),
          LoopMessage.answer(rootId, depth));
    }
    for (KeyValue<String, Parked> entry : parked.drain(key)) {
      out.tree(treeKey, TreeMessage.of(entry.value.event(), entry.value.audited()));
    }
  }
}

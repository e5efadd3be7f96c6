package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.ViolationKind;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROBE side of the resolve loop: a parent link that would close a cycle is found by a probe
 * that follows pending parent links and comes back to its origin; the token that finds itself is
 * refused with a {@code cycle} alert and never resolves. A probe carries its origin and a hop count
 * only, and goes at most {@code maxDepth} hops: beyond that its origin is deeper than {@code
 * maxDepth} whether its root ever arrives or not, so it is told so (TOO_DEEP) and audited as an
 * orphan at once; a chain of N pending tokens costs at most N * maxDepth probes of one id each. A
 * token found deeper than {@code maxDepth} once its root is known is refused the same way, with
 * {@code depth_limit}.
 */
final class Probes {

  private static final Logger LOG = LoggerFactory.getLogger(Probes.class);

  private final KeyValueStore<String, TokenLink> links;
  private final Orphans orphans;
  private final Outputs out;
  private final int maxDepth;

  /**
   * @param links {@code ledger-links}
   * @param maxDepth tokens deeper than this are refused ({@code depth_limit}) and never resolve
   */
  Probes(KeyValueStore<String, TokenLink> links, Orphans orphans, Outputs out, int maxDepth) {
    this.links = links;
    this.orphans = orphans;
    this.out = out;
    this.maxDepth = maxDepth;
  }

  /**
   * Carries a new link of {@code origin} up through this pending token, which is {@code hops} above
   * it: finding the origin here means a cycle. The origin is at least one hop deeper than this
   * token's parent, root or not, so past the max depth the probe stops and the origin is told it
   * never resolves.
   */
  void probe(String key, TokenLink link, String origin, int hops) {
    LedgerKey self = LedgerKey.parse(key);
    if (origin.equals(self.tokenId())) {
      refuse(key, link, ViolationKind.cycle);
      return;
    }
    int originDepth = hops + 1;
    if (originDepth > maxDepth) {
      out.resolve(LedgerStores.sameTenant(key, origin), LoopMessage.tooDeep(origin, originDepth));
    } else {
      out.resolve(
          LedgerStores.sameTenant(key, link.parentId()), LoopMessage.probe(origin, originDepth));
    }
  }

  /** True if a token of depth {@code depth} lies past the max depth. */
  boolean tooDeep(int depth) {
    return depth > maxDepth;
  }

  /**
   * A token that must never resolve ({@code cycle}, {@code depth_limit}): TokenNode pending with
   * the kind, its audit record (unless it was audited as an orphan already) and an alert; what
   * waits on it is audited without a chain, and its waiting children are orphans.
   */
  void refuse(String key, TokenLink link, ViolationKind kind) {
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
    orphans.auditParked(key, refused, now);
    orphans.orphanWaiters(key); // a refused token never resolves: its children would wait forever
  }
}

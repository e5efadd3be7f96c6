package dev.ledger.index.internal;

import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The token {@code GET /v1/tokens/{id}} answers: its document on ledger.tokens, brought up to date
 * with what the index already knows from the other topics, so that the answer does not wait for the
 * document's next version.
 *
 * <p><b>uses</b> = max(allowed uses counted in the index, the document's {@code uses}). Both are
 * lower bounds of the truth (own and descendants' allowed uses, CONTRACT.md section 2): the count
 * misses uses audited without a chain (a use of a token whose chain was still unknown past the
 * grace period is audited at once, chainless, and counted by Streams when the chain resolves), and
 * the document lags by one coalesced emission of ledger.tokens. The document's value converges to
 * the truth, so the maximum does too, and it never goes down.
 *
 * <p><b>status, revoked_at, revocation_cause</b>: a cascade publishes a notice for every revoked
 * descendant one transaction before the descendants' new documents, and the indexer makes notices
 * searchable first. The revocation in force on a token is the earliest, by {@code revoked_at} then
 * cause token id, among the revocations of the tokens of its chain (as Streams decides it), and a
 * live notice of any chain token carries that chain token's revocation in force. So the earliest
 * live notice of the chain is the answer the token's own document will carry once it catches up. A
 * tombstoned notice (its token expired) is ignored; by then the document has caught up.
 */
public final class TokenAnswers {

  private TokenAnswers() {}

  /**
   * The ids whose live revocation notice reaches {@code node}: its chain (root to itself) and
   * itself.
   */
  public static Set<String> revocableBy(TokenNode node) {
    Set<String> ids = new LinkedHashSet<>();
    for (Hop hop : node.getChain()) {
      ids.add(hop.getTokenId());
    }
    ids.add(node.getTokenId());
    return ids;
  }

  /**
   * {@code node} with {@code uses} raised to {@code countedUses} and the earliest of {@code
   * liveNotices} applied if it is earlier than the node's own revocation; {@code node} itself when
   * neither changes it.
   */
  public static TokenNode resolve(
      TokenNode node, long countedUses, Collection<RevocationNotice> liveNotices) {
    RevocationNotice earliest = null;
    for (RevocationNotice n : liveNotices) {
      if (n.getRevokedAt() != null
          && n.getRevocationCause() != null
          && (earliest == null
              || earlier(
                  n.getRevokedAt(),
                  n.getRevocationCause(),
                  earliest.getRevokedAt(),
                  earliest.getRevocationCause()))) {
        earliest = n;
      }
    }
    boolean revoke =
        earliest != null
            && (node.getRevokedAt() == null
                || earlier(
                    earliest.getRevokedAt(),
                    earliest.getRevocationCause(),
                    node.getRevokedAt(),
                    node.getRevocationCause() == null ? "" : node.getRevocationCause()));
    if (!revoke && countedUses <= node.getUses()) {
      return node;
    }
    TokenNode.Builder b = TokenNode.newBuilder(node).setUses(Math.max(countedUses, node.getUses()));
    if (revoke) {
      b.setStatus(TokenStatus.revoked)
          .setRevokedAt(earliest.getRevokedAt())
          .setRevocationCause(earliest.getRevocationCause());
    }
    return b.build();
  }

  /** Streams' order of revocations: by time, then by cause token id. */
  private static boolean earlier(Instant a, String causeA, Instant b, String causeB) {
    return a.isBefore(b) || (a.equals(b) && causeA.compareTo(causeB) < 0);
  }
}

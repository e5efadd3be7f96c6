package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.util.List;

/**
 * A token's key in {@code ledger-tree-subtrees}: its chain, {@code "tenant/root" + SEP + id + ... +
 * SEP + token}, so that its descendants are exactly the keys under {@code path + SEP}, parents
 * first ({@link LedgerStores#iterate}).
 *
 * @param encoded the key as stored
 */
record SubtreePath(String encoded) {

  /** The path of {@code node}'s chain. */
  static SubtreePath of(TokenNode node) {
    StringBuilder path = new StringBuilder(node.getTenant()).append('/');
    List<Hop> chain = node.getChain();
    for (int i = 0; i < chain.size(); i++) {
      if (i > 0) {
        path.append(LedgerStores.SEP);
      }
      path.append(chain.get(i).getTokenId());
    }
    return new SubtreePath(path.toString());
  }

  /** The token at the end of the chain. */
  String tokenId() {
    int split = encoded.lastIndexOf(LedgerStores.SEP);
    if (split >= 0) {
      return encoded.substring(split + 1);
    }
    return encoded.substring(encoded.indexOf('/') + 1);
  }

  /** The token's depth: the root is 0, every separator one hop below. */
  int depth() {
    int depth = 0;
    for (int i = encoded.indexOf(LedgerStores.SEP);
        i >= 0;
        i = encoded.indexOf(LedgerStores.SEP, i + 1)) {
      depth++;
    }
    return depth;
  }
}

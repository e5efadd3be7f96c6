package dev.ledger.bench.query;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The API's main queries, each with how to pick a realistic argument from a {@link QueryDataset}.
 */
public enum QueryKind {
  TOKEN_BY_ID("token by id (with its chain)"),
  DESCENDANTS("descendants of the large tree, first 100"),
  AUDIT_BY_PRINCIPAL("audit by principal, newest 100"),
  AUDIT_BY_ACTOR("audit by actor anywhere in the chain (typical agent), newest 100"),
  AUDIT_BY_HOT_ACTOR(
      "audit by actor anywhere in the chain (agent in ~hotRecords records), newest 100"),
  FREE_TEXT("free text, newest 100"),
  AUTHORITY_AT("authority of a typical agent at T (tokens it held in force then)"),
  TOKEN_AT("token at T (status, uses and violations by then)");

  /**
   * One query's argument.
   *
   * @param tenant the tenant to ask in
   * @param value the token id, principal, actor or word
   * @param at the point in time of the point-in-time queries, else null
   */
  public record Args(String tenant, String value, Instant at) {

    /** Args of a query that asks about now. */
    public Args(String tenant, String value) {
      this(tenant, value, null);
    }
  }

  private final String label;

  QueryKind(String label) {
    this.label = label;
  }

  public String label(QueryDataset d) {
    return label.replace("~hotRecords", "~" + String.format("%,d", d.hotRecords()));
  }

  /** A random argument for this query. */
  public Args pick(QueryDataset d, SplittableRandom random) {
    int tree = random.nextInt(d.trees());
    return switch (this) {
      case TOKEN_BY_ID ->
          new Args(
              d.tenant(tree),
              QueryDataset.tokenId(tree, random.nextInt(QueryDataset.TOKENS_PER_TREE)));
      case DESCENDANTS -> new Args(d.bigTreeTenant(), d.bigTreeRoot());
      case AUDIT_BY_PRINCIPAL -> new Args(d.tenant(tree), d.principal(tree));
      case AUDIT_BY_ACTOR -> {
        int t = tree % d.hotEvery() == 0 ? (tree + 1) % d.trees() : tree;
        yield new Args(d.tenant(t), d.rootAgent(t));
      }
      case AUDIT_BY_HOT_ACTOR -> new Args(d.tenant(0), QueryDataset.hotAgent());
      case FREE_TEXT -> new Args(d.tenant(tree), QueryDataset.word(random.nextInt(500)));
      case AUTHORITY_AT -> {
        // The typical agent of AUDIT_BY_ACTOR, at a moment of the life of its tree (all its tokens
        // in force).
        int t = tree % d.hotEvery() == 0 ? (tree + 1) % d.trees() : tree;
        yield new Args(
            d.tenant(t),
            d.rootAgent(t),
            d.treeStart(t)
                .plusMillis(
                    QueryDataset.TOKENS_PER_TREE
                        + random.nextInt(
                            QueryDataset.RECORDS_PER_TREE - QueryDataset.TOKENS_PER_TREE)));
      }
      case TOKEN_AT -> {
        // A token between its issue and its tree's last use: some of its uses counted, some not
        // yet.
        int i = random.nextInt(QueryDataset.TOKENS_PER_TREE);
        yield new Args(
            d.tenant(tree),
            QueryDataset.tokenId(tree, i),
            d.treeStart(tree).plusMillis(i + random.nextInt(QueryDataset.RECORDS_PER_TREE - i)));
      }
    };
  }
}

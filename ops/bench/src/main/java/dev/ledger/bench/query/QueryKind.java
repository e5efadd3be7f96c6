package dev.ledger.bench.query;

import java.util.SplittableRandom;

/** The API's main queries, each with how to pick a realistic argument from a {@link QueryDataset}. */
public enum QueryKind {
  TOKEN_BY_ID("token by id (with its chain)"),
  DESCENDANTS("descendants of the large tree, first 100"),
  AUDIT_BY_PRINCIPAL("audit by principal, newest 100"),
  AUDIT_BY_ACTOR("audit by actor anywhere in the chain (typical agent), newest 100"),
  AUDIT_BY_HOT_ACTOR("audit by actor anywhere in the chain (agent in ~hotRecords records), newest 100"),
  FREE_TEXT("free text, newest 100");

  /**
   * One query's argument.
   *
   * @param tenant the tenant to ask in
   * @param value the token id, principal, actor or word
   */
  public record Args(String tenant, String value) {}

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
      case TOKEN_BY_ID -> new Args(d.tenant(tree), QueryDataset.tokenId(tree, random.nextInt(QueryDataset.TOKENS_PER_TREE)));
      case DESCENDANTS -> new Args(d.bigTreeTenant(), d.bigTreeRoot());
      case AUDIT_BY_PRINCIPAL -> new Args(d.tenant(tree), d.principal(tree));
      case AUDIT_BY_ACTOR -> {
        int t = tree % d.hotEvery() == 0 ? (tree + 1) % d.trees() : tree;
        yield new Args(d.tenant(t), d.rootAgent(t));
      }
      case AUDIT_BY_HOT_ACTOR -> new Args(d.tenant(0), QueryDataset.hotAgent());
      case FREE_TEXT -> new Args(d.tenant(tree), QueryDataset.word(random.nextInt(500)));
    };
  }
}

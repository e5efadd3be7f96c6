package dev.ledger.index.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;

/**
 * The {@code q} of a caller that sees every tenant, in an index whose catch-all terms are prefixed
 * by tenant ({@link TermsLayout#prefixed}): rewritten, per searcher, into {@code q} over the
 * catch-all terms of every tenant that searcher's reader holds (one term per tenant where the query
 * has one). Parsed once when built, so a {@code q} Lucene refuses is a 400, not a failure of the
 * search.
 */
final class EveryTenantQuery extends Query {

  private final String q;

  EveryTenantQuery(String q) {
    this.q = q;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    List<String> tenants = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), Fields.TENANT);
    if (terms != null) {
      TermsEnum it = terms.iterator();
      for (BytesRef t = it.next(); t != null; t = it.next()) {
        tenants.add(t.utf8ToString());
      }
    }
    if (tenants.isEmpty()) {
      return new MatchNoDocsQuery("no tenant in the index");
    }
    try {
      return AuditQueryParser.parseEveryTenant(q, tenants);
    } catch (ParseException e) {
      // Parsed with a stand-in tenant when built; only the tenants' prefixes differ here.
      throw new IllegalStateException("q parsed once but not over every tenant: " + q, e);
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "every tenant:(" + q + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && q.equals(((EveryTenantQuery) other).q);
  }

  @Override
  public int hashCode() {
    return 31 * classHash() + q.hashCode();
  }
}

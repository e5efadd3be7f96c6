package dev.ledger.index.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;

/**
 * Tenant-qualified terms, so that a pattern in {@code q} (wildcard, prefix, regular expression,
 * fuzzy) scans only the caller's tenant's terms. Every term an audit document has in a keyword
 * field (and, in an index from before v1.20, in {@link Fields#ALL}, whose terms are now prefixed in
 * place: {@link CatchAll}) is also indexed in {@link Fields#TENANT_TERMS} as {@code tenant + SEP +
 * field + SEP + term}; a pattern of one tenant's {@code q} runs there with {@code tenant + SEP +
 * field + SEP} put in front of its automaton. The terms of a field are sorted, so Lucene's
 * automaton intersection seeks straight to that prefix and never visits another tenant's terms (a
 * filter on documents, which is all the tenant clause is, cannot keep a pattern from scanning the
 * whole shared term dictionary).
 *
 * <p>Costs one more term per distinct term of a document (no positions, no norms, no doc values).
 */
public final class TenantTerms {

  /** Separates tenant, field and term: no tenant, field name or analysed token contains it. */
  private static final String SEP = "\u0000";

  private TenantTerms() {}

  /**
   * Adds {@code d}'s tenant-qualified terms; call once its other fields are all added.
   *
   * @param catchAll whether to copy the catch-all's terms too (an index from before v1.20, whose
   *     catch-all terms are not prefixed by the tenant themselves)
   */
  static void add(Document d, String tenant, boolean catchAll) {
    Set<String> terms = new LinkedHashSet<>();
    for (IndexableField f : d.getFields()) {
      if (Fields.KEYWORDS.contains(f.name()) && f.stringValue() != null) {
        terms.add(prefix(tenant, f.name()) + f.stringValue());
      } else if (catchAll && Fields.ALL.equals(f.name()) && f.stringValue() != null) {
        analysed(f.stringValue(), prefix(tenant, Fields.ALL), terms);
      }
    }
    for (String term : terms) {
      d.add(new StringField(Fields.TENANT_TERMS, term, Field.Store.NO));
    }
  }

  private static void analysed(String text, String prefix, Set<String> out) {
    try (TokenStream tokens = AuditQueryParser.ANALYZER.tokenStream(Fields.ALL, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        out.add(prefix + term);
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  /** Whether patterns on {@code field} can be scoped to a tenant. */
  static boolean covers(String field) {
    return Fields.ALL.equals(field) || Fields.KEYWORDS.contains(field);
  }

  /**
   * {@code pattern} (on a field {@link #covers} covers) as the same pattern over {@code tenant}'s
   * terms of that field only; null if it is no pattern.
   *
   * @param workLimit the determinization work the prefixed automaton may cost
   */
  static Query scoped(Query pattern, String tenant, int workLimit) {
    return pattern instanceof MultiTermQuery m
        ? CatchAll.behind(
            pattern, Fields.TENANT_TERMS, List.of(prefix(tenant, m.getField())), workLimit)
        : null;
  }

  private static String prefix(String tenant, String field) {
    return tenant + SEP + field + SEP;
  }
}

package dev.ledger.index.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * The free {@code q} of GET /v1/audit: Lucene classic query syntax. Bare words search the analysed
 * catch-all field; {@code field:value} on a keyword field matches the exact value (quote values
 * with spaces: {@code action:"GET /accounts/42"}); {@code occurred_at:[A TO B]} takes RFC 3339
 * instants or {@code *}. Not thread-safe: one per query.
 *
 * <p>Every query has a bounded cost, and anything Lucene refuses is a {@link ParseException} (a 400
 * naming {@code q}), never a runtime exception. A wildcard, prefix, regular expression or fuzzy
 * term must start with {@value #MIN_LITERAL_PREFIX} literal characters, so the term dictionary is
 * scanned only from that prefix on, never whole (what a leading {@code .*} would do), and a fuzzy
 * term's first {@value #MIN_LITERAL_PREFIX} characters must match exactly; a regular expression may
 * cost at most {@value #DETERMINIZE_WORK_LIMIT} units of determinization work; a fuzzy term expands
 * to at most {@value #MAX_FUZZY_EXPANSIONS} terms; a query holds at most {@value #MAX_CLAUSES}
 * terms and {@code q} at most {@value #MAX_LENGTH} characters.
 */
public final class AuditQueryParser extends QueryParser {

  /** Analyses the catch-all with the standard analyzer and keyword fields not at all. */
  public static final Analyzer ANALYZER = analyzer();

  /** Literal characters a multi-term query (wildcard, prefix, regex, fuzzy) must start with. */
  public static final int MIN_LITERAL_PREFIX = 2;

  /** Determinization work a regular expression may cost (Lucene's default is 10,000). */
  public static final int DETERMINIZE_WORK_LIMIT = 2_000;

  /** Terms one fuzzy term may expand to. */
  public static final int MAX_FUZZY_EXPANSIONS = 50;

  /** Terms (leaf queries) one {@code q} may hold. */
  public static final int MAX_CLAUSES = 64;

  /** Longest {@code q}. */
  public static final int MAX_LENGTH = 1_024;

  /**
   * The tenant whose keyword terms patterns scan ({@link TenantTerms}), and whose catch-all terms
   * too if {@link #catchAll} is null; null: every tenant's.
   */
  private final String tenant;

  /**
   * The tenants whose prefixed catch-all terms ({@link CatchAll}) words, phrases and patterns on
   * {@code all} match; null: the catch-all terms are unprefixed (an index from before v1.20).
   */
  private final List<String> catchAll;

  private AuditQueryParser(String tenant, List<String> catchAll) {
    super(Fields.ALL, ANALYZER);
    this.tenant = tenant;
    this.catchAll = catchAll;
    setDeterminizeWorkLimit(DETERMINIZE_WORK_LIMIT);
    setFuzzyPrefixLength(MIN_LITERAL_PREFIX);
    setAllowLeadingWildcard(false);
  }

  /**
   * Parses {@code q} with patterns over every tenant's terms; the ParseException message is the one
   * to show the user.
   */
  public static Query parseQ(String q) throws ParseException {
    return parse(q, null, null);
  }

  /**
   * Parses {@code q} of a caller that sees only {@code tenant} (null: every tenant) in an index of
   * {@code layout}: its patterns scan only that tenant's terms, so only on the fields that has
   * ({@code all} and the keyword fields). In a {@link TermsLayout#prefixed} index, a caller that
   * sees every tenant gets a query made concrete per searcher, from the tenants it holds.
   */
  public static Query parseQ(String q, String tenant, TermsLayout layout) throws ParseException {
    return switch (layout) {
      case SHARED -> parse(q, null, null);
      case COPIES -> parse(q, tenant, null);
      case PREFIXED, PREFIXED_WITHOUT_NORMS -> {
        if (tenant != null) {
          yield parse(q, tenant, List.of(tenant));
        }
        // Checked now, with a stand-in tenant: only the prefix differs per tenant.
        parse(q, null, List.of(""));
        yield new EveryTenantQuery(q);
      }
    };
  }

  /**
   * {@code q} over the prefixed catch-all terms of {@code tenants} (several: a caller that sees
   * every tenant, as {@link EveryTenantQuery} asks).
   */
  static Query parseEveryTenant(String q, List<String> tenants) throws ParseException {
    return parse(q, null, tenants);
  }

  private static Query parse(String q, String tenant, List<String> catchAll) throws ParseException {
    if (q.length() > MAX_LENGTH) {
      throw new ParseException("at most " + MAX_LENGTH + " characters, not " + q.length());
    }
    Query query;
    try {
      query = new AuditQueryParser(tenant, catchAll).parse(q);
    } catch (IndexSearcher.TooManyClauses | IllegalArgumentException | IllegalStateException e) {
      // Lucene's own refusals (a clause count over its global limit, a malformed automaton): input,
      // not a bug.
      throw new ParseException("Lucene refused the query: " + e.getMessage());
    }
    int[] clauses = {0};
    query.visit(
        new QueryVisitor() {
          @Override
          public void consumeTerms(Query leaf, Term... terms) {
            clauses[0]++;
          }

          @Override
          public void visitLeaf(Query leaf) {
            clauses[0]++;
          }

          @Override
          public QueryVisitor getSubVisitor(
              org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
            return this;
          }
        });
    if (clauses[0] > MAX_CLAUSES) {
      throw new ParseException("too complex: " + clauses[0] + " terms, at most " + MAX_CLAUSES);
    }
    return query;
  }

  @Override
  protected Query getRegexpQuery(String field, String termStr) throws ParseException {
    Query query;
    try {
      query = super.getRegexpQuery(field, termStr);
    } catch (TooComplexToDeterminizeException e) {
      throw new ParseException(
          "the regular expression /"
              + termStr
              + "/ is too complex (more than "
              + DETERMINIZE_WORK_LIMIT
              + " units of work to determinize): simplify it");
    } catch (IllegalArgumentException e) {
      throw new ParseException(
          "the regular expression /" + termStr + "/ is invalid: " + e.getMessage());
    }
    if (query instanceof org.apache.lucene.search.AutomatonQuery automaton) {
      requireLiteralPrefix(
          Operations.getCommonPrefix(automaton.getAutomaton()), "/" + termStr + "/");
    }
    return scoped(field, query, "/" + termStr + "/");
  }

  @Override
  protected Query getFuzzyQuery(String field, String termStr, float minSimilarity)
      throws ParseException {
    return scoped(field, super.getFuzzyQuery(field, termStr, minSimilarity), termStr + "~");
  }

  /** {@code pattern} over the caller's tenant's terms only, when it sees one tenant. */
  private Query scoped(String field, Query pattern, String shown) throws ParseException {
    boolean catchAllTerms = catchAll != null && Fields.ALL.equals(field);
    if (!catchAllTerms && tenant == null) {
      return pattern;
    }
    if (!catchAllTerms && !TenantTerms.covers(field)) {
      throw new ParseException(
          shown
              + ": a pattern (wildcard, prefix, regular expression or fuzzy term) must be on all or"
              + " a keyword field, not "
              + field);
    }
    try {
      Query scoped =
          catchAllTerms
              ? CatchAll.pattern(pattern, catchAll, DETERMINIZE_WORK_LIMIT)
              : TenantTerms.scoped(pattern, tenant, DETERMINIZE_WORK_LIMIT);
      return scoped == null ? pattern : scoped;
    } catch (TooComplexToDeterminizeException e) {
      throw new ParseException(shown + " is too complex: simplify it");
    }
  }

  @Override
  protected Query getWildcardQuery(String field, String termStr) throws ParseException {
    if ("*".equals(field) && "*".equals(termStr)) {
      return super.getWildcardQuery(
          field, termStr); // *:* matches the caller's records, no term scan
    }
    int firstWildcard = firstWildcard(termStr);
    requireLiteralPrefix(termStr.substring(0, firstWildcard), termStr);
    return scoped(field, super.getWildcardQuery(field, termStr), termStr);
  }

  @Override
  protected Query getPrefixQuery(String field, String termStr) throws ParseException {
    requireLiteralPrefix(termStr, termStr + "*");
    return scoped(field, super.getPrefixQuery(field, termStr), termStr + "*");
  }

  @Override
  protected Query newFuzzyQuery(Term term, float minimumSimilarity, int prefixLength) {
    int edits =
        FuzzyQuery.floatToEdits(
            minimumSimilarity, term.text().codePointCount(0, term.text().length()));
    return new FuzzyQuery(term, edits, prefixLength, MAX_FUZZY_EXPANSIONS, false);
  }

  private static void requireLiteralPrefix(String prefix, String shown) throws ParseException {
    if (prefix.codePointCount(0, prefix.length()) < MIN_LITERAL_PREFIX) {
      throw new ParseException(
          shown
              + " must start with at least "
              + MIN_LITERAL_PREFIX
              + " literal characters: a pattern at the start would scan every term of the index");
    }
  }

  private static int firstWildcard(String termStr) {
    for (int i = 0; i < termStr.length(); i++) {
      char c = termStr.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?') {
        return i;
      }
    }
    return termStr.length();
  }

  @Override
  protected Query createFieldQuery(
      TokenStream source,
      BooleanClause.Occur operator,
      String field,
      boolean quoted,
      int phraseSlop) {
    return super.createFieldQuery(
        catchAll != null && Fields.ALL.equals(field) ? CatchAll.prefixed(source, catchAll) : source,
        operator,
        field,
        quoted,
        phraseSlop);
  }

  @Override
  protected Query getRangeQuery(
      String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
      throws ParseException {
    if (catchAll != null && Fields.ALL.equals(field)) {
      return scoped(
          field,
          super.getRangeQuery(field, part1, part2, startInclusive, endInclusive),
          field + ":[" + part1 + " TO " + part2 + "]");
    }
    if (!Fields.OCCURRED_AT.equals(field)) {
      return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
    }
    long lower = part1 == null ? Long.MIN_VALUE : instant(part1);
    long upper = part2 == null ? Long.MAX_VALUE : instant(part2);
    if (!startInclusive && lower != Long.MIN_VALUE) {
      lower = Math.addExact(lower, 1);
    }
    if (!endInclusive && upper != Long.MAX_VALUE) {
      upper = Math.addExact(upper, -1);
    }
    return Queries.timeRange(lower, upper);
  }

  private static long instant(String text) throws ParseException {
    try {
      return Instant.parse(text.toUpperCase()).toEpochMilli();
    } catch (DateTimeParseException
        | ArithmeticException e) { // an instant past epoch milliseconds does not fit either
      throw new ParseException(
          "occurred_at: '" + text + "' is not an RFC 3339 instant like 2026-01-31T12:00:00Z");
    }
  }

  private static Analyzer analyzer() {
    Map<String, Analyzer> perField = new HashMap<>();
    KeywordAnalyzer keyword = new KeywordAnalyzer();
    for (String field : Fields.KEYWORDS) {
      perField.put(field, keyword);
    }
    return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), perField);
  }
}

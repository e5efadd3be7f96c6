package dev.ledger.index.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Query;

/**
 * The free {@code q} of GET /v1/audit: Lucene classic query syntax. Bare words search the
 * analysed catch-all field; {@code field:value} on a keyword field matches the exact value
 * (quote values with spaces: {@code action:"GET /accounts/42"}); {@code occurred_at:[A TO B]}
 * takes RFC 3339 instants or {@code *}. Not thread-safe: one per query.
 */
public final class AuditQueryParser extends QueryParser {

  /** Analyses the catch-all with the standard analyzer and keyword fields not at all. */
  public static final Analyzer ANALYZER = analyzer();

  public AuditQueryParser() {
    super(Fields.ALL, ANALYZER);
  }

  /** Parses {@code q}; the ParseException message is the one to show the user. */
  public static Query parseQ(String q) throws ParseException {
    return new AuditQueryParser().parse(q);
  }

  @Override
  protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
      boolean endInclusive) throws ParseException {
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
    return LongPoint.newRangeQuery(Fields.TIME, lower, upper);
  }

  private static long instant(String text) throws ParseException {
    try {
      return Instant.parse(text.toUpperCase()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ParseException("occurred_at: '" + text + "' is not an RFC 3339 instant like 2026-01-31T12:00:00Z");
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

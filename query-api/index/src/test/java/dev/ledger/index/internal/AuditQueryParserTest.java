package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

class AuditQueryParserTest {

  @Test
  void bareWordsSearchTheAnalysedCatchAll() throws Exception {
    assertThat(AuditQueryParser.parseQ("Payments"))
        .isEqualTo(new TermQuery(new Term(Fields.ALL, "payments")));
  }

  @Test
  void keywordFieldsMatchTheExactValue() throws Exception {
    assertThat(AuditQueryParser.parseQ("principal:Alice@Example.com"))
        .isEqualTo(new TermQuery(new Term(Fields.PRINCIPAL, "Alice@Example.com")));
    assertThat(AuditQueryParser.parseQ("action:\"GET /accounts/42\""))
        .isEqualTo(new TermQuery(new Term(Fields.ACTION, "GET /accounts/42")));
  }

  @Test
  void occurredAtRangesBecomeTimeRanges() throws Exception {
    long a = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    long b = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
    Query q = AuditQueryParser.parseQ("occurred_at:[2026-01-01T00:00:00Z TO 2026-02-01T00:00:00Z}");
    assertThat(q).isEqualTo(Queries.timeRange(a, b - 1));
    assertThat(AuditQueryParser.parseQ("occurred_at:[* TO 2026-02-01T00:00:00Z]"))
        .isEqualTo(Queries.timeRange(Long.MIN_VALUE, b));
  }

  @Test
  void malformedInputIsAParseException() {
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:(alice"))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> AuditQueryParser.parseQ("occurred_at:[monday TO *]"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> AuditQueryParser.parseQ("*leading"))
        .isInstanceOf(ParseException.class);
    // A valid instant beyond epoch milliseconds was an ArithmeticException (a 500), not a
    // ParseException.
    assertThatThrownBy(
            () -> AuditQueryParser.parseQ("occurred_at:[+999999999-12-31T23:59:59Z TO *]"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("RFC 3339");
  }

  @Test
  void aRegexLuceneCannotDeterminizeIsAParseExceptionNotARuntimeFailure() {
    // The q=/.*a.{20}/ gave a 500 with a stack trace.
    assertThatThrownBy(() -> AuditQueryParser.parseQ("/.*a.{20}/"))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:/ab.*a.{30}/"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("too complex");
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:/ab[/"))
        .isInstanceOf(ParseException.class);
  }

  @Test
  void multiTermQueriesMustStartWithALiteralPrefix() throws ParseException {
    assertThatThrownBy(() -> AuditQueryParser.parseQ("/.*e.*v.*/"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("must start with at least 2 literal characters");
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:a*"))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:a?c"))
        .isInstanceOf(ParseException.class);
    assertThat(AuditQueryParser.parseQ("principal:al*")).isNotNull();
    assertThat(AuditQueryParser.parseQ("principal:/al.*e/")).isNotNull();
    assertThat(AuditQueryParser.parseQ("*:*")).isNotNull();
  }

  @Test
  void fuzzyTermsKeepTheirFirstCharactersAndExpandBoundedly() throws ParseException {
    org.apache.lucene.search.FuzzyQuery fuzzy =
        (org.apache.lucene.search.FuzzyQuery) AuditQueryParser.parseQ("alice~");
    assertThat(fuzzy.getPrefixLength()).isEqualTo(AuditQueryParser.MIN_LITERAL_PREFIX);
  }

  @Test
  void tooManyTermsOrTooLongAQueryIsAParseException() {
    String many = "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(3);
    assertThatThrownBy(() -> AuditQueryParser.parseQ(many))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("at most 64");
    assertThatThrownBy(() -> AuditQueryParser.parseQ("x".repeat(1025)))
        .isInstanceOf(ParseException.class);
  }
}

package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

class AuditQueryParserTest {

  @Test
  void bareWordsSearchTheAnalysedCatchAll() throws Exception {
    assertThat(AuditQueryParser.parseQ("Payments")).isEqualTo(new TermQuery(new Term(Fields.ALL, "payments")));
  }

  @Test
  void keywordFieldsMatchTheExactValue() throws Exception {
    assertThat(AuditQueryParser.parseQ("principal:Alice@Example.com"))
        .isEqualTo(new TermQuery(new Term(Fields.PRINCIPAL, "Alice@Example.com")));
    assertThat(AuditQueryParser.parseQ("action:\"GET /accounts/42\""))
        .isEqualTo(new TermQuery(new Term(Fields.ACTION, "GET /accounts/42")));
  }

  @Test
  void occurredAtRangesBecomePointRanges() throws Exception {
    long a = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    long b = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
    Query q = AuditQueryParser.parseQ("occurred_at:[2026-01-01T00:00:00Z TO 2026-02-01T00:00:00Z}");
    assertThat(q).isEqualTo(LongPoint.newRangeQuery(Fields.TIME, a, b - 1));
    assertThat(AuditQueryParser.parseQ("occurred_at:[* TO 2026-02-01T00:00:00Z]"))
        .isEqualTo(LongPoint.newRangeQuery(Fields.TIME, Long.MIN_VALUE, b));
  }

  @Test
  void malformedInputIsAParseException() {
    assertThatThrownBy(() -> AuditQueryParser.parseQ("principal:(alice")).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> AuditQueryParser.parseQ("occurred_at:[monday TO *]")).isInstanceOf(ParseException.class)
        .hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> AuditQueryParser.parseQ("*leading")).isInstanceOf(ParseException.class);
  }
}

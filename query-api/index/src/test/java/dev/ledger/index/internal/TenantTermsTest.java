package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.index.AuditFilter;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.Via;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pattern in one tenant's {@code q} visits only that tenant's terms: tenant {@code big} has 300
 * principals and words matching each pattern, tenant {@code small} one; {@code small}'s patterns
 * enumerate exactly its own term, where a pattern over the shared field enumerates all 301. Run on
 * each {@link TermsLayout}, as written and parsed for it: tenant-qualified copies (v1.10 to v1.19)
 * and catch-all terms prefixed in place (since v1.20).
 */
class TenantTermsTest {

  private static final int BIG = 300;
  private Directory directory;
  private DirectoryReader reader;

  private static AuditRecord record(String tenant, String eventId, String principal) {
    return AuditRecord.newBuilder()
        .setTenant(tenant)
        .setEventId(eventId)
        .setType("token.used")
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setTokenId("tok-" + eventId)
        .setRootId("tok-" + eventId)
        .setPrincipal(principal)
        .setActor("agent")
        .setChain(List.of(new Hop("tok-" + eventId, "agent", Via.issued)))
        .setResource("https://bank.example")
        .setAction("GET /" + principal)
        .setOutcome(Outcome.allowed)
        .build();
  }

  private IndexSearcher index(TermsLayout layout) throws IOException {
    directory = new ByteBuffersDirectory();
    try (IndexWriter writer =
        new IndexWriter(directory, new IndexWriterConfig(AuditQueryParser.ANALYZER))) {
      for (int i = 0; i < BIG; i++) {
        writer.addDocument(
            Documents.audit(record("big", "e" + i, "alice" + (1000 + i)), null, layout));
      }
      writer.addDocument(Documents.audit(record("small", "e0", "alice1000"), null, layout));
    }
    reader = DirectoryReader.open(directory);
    return new IndexSearcher(reader);
  }

  @AfterEach
  void close() throws IOException {
    if (reader != null) {
      reader.close();
      directory.close();
      reader = null;
    }
  }

  /** Terms the pattern leaves of {@code query} enumerate, summed over the index's segments. */
  private long termsVisited(Query query) throws IOException {
    List<MultiTermQuery> patterns = new ArrayList<>();
    query.visit(
        new QueryVisitor() {
          @Override
          public void visitLeaf(Query leaf) {
            if (leaf instanceof MultiTermQuery m) {
              patterns.add(m);
            }
          }

          @Override
          public QueryVisitor getSubVisitor(
              org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
            return this;
          }
        });
    assertThat(patterns).as("the query has a pattern").isNotEmpty();
    long visited = 0;
    for (MultiTermQuery pattern : patterns) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Terms terms = leaf.reader().terms(pattern.getField());
        if (terms == null) {
          continue;
        }
        TermsEnum it = pattern.getTermsEnum(terms);
        while (it.next() != null) {
          visited++;
        }
      }
    }
    return visited;
  }

  private static Query q(TenantScope scope, String q, TermsLayout layout) throws Exception {
    Problems problems = new Problems();
    Query query = Queries.audit(scope, AuditFilter.builder().q(q).build(), problems, layout);
    problems.throwIfAny();
    return query;
  }

  private static Query q(String tenant, String q, TermsLayout layout) throws Exception {
    return q(TenantScope.of(tenant), q, layout);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "principal:al*",
        "principal:ali?e*",
        "principal:/al.*/",
        "alic*",
        "alice1000~1",
        "all:[alice1000 TO alice1001]"
      })
  void aTenantsPatternVisitsOnlyItsOwnTerms(String pattern) throws Exception {
    boolean fuzzy = pattern.endsWith("~1");
    boolean range = pattern.startsWith("all:[");
    for (TermsLayout layout :
        List.of(TermsLayout.COPIES, TermsLayout.PREFIXED, TermsLayout.PREFIXED_WITHOUT_NORMS)) {
      if (range && layout == TermsLayout.COPIES) {
        continue; // ranges were never scoped before v1.20
      }
      close();
      IndexSearcher searcher = index(layout);
      if (layout == TermsLayout.COPIES) {
        assertThat(termsVisited(q("small", pattern, TermsLayout.SHARED)))
            .as("over the shared term dictionary (an index from before tenant terms)")
            .isGreaterThanOrEqualTo(fuzzy ? 10 : BIG);
      }
      assertThat(termsVisited(q("small", pattern, layout)))
          .as("its own term only, %s", layout)
          .isEqualTo(1);
      assertThat(searcher.count(q("small", pattern, layout)))
          .as("and finds the tenant's record, %s", layout)
          .isEqualTo(1);
      assertThat(searcher.count(q("big", pattern, layout)))
          .as("another tenant's records, by its own terms, %s", layout)
          // alice1000 itself, alice1100 and 1200, alice1010..1090 and alice1001..1009
          .isEqualTo(fuzzy ? 21 : range ? 2 : BIG);
      assertThat(searcher.count(q(TenantScope.all(), pattern, layout)))
          .as("a caller that sees every tenant finds both tenants' records, %s", layout)
          .isEqualTo(fuzzy ? 22 : range ? 3 : BIG + 1);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "alice1000, 1, 1, 2",
    "'\"GET alice1000\"', 1, 1, 2",
    "'\"alice1000 GET\"', 0, 0, 0",
    "bank.example, 1, 300, 301",
    "'alice1000 AND NOT principal:alice1000', 0, 0, 0",
    "'agent AND NOT alice1000', 0, 299, 299"
  })
  void wordsAndPhrasesFindTheTenantsOwnRecords(String q, int small, int big, int every)
      throws Exception {
    for (TermsLayout layout : TermsLayout.values()) {
      close();
      IndexSearcher searcher = index(layout);
      assertThat(searcher.count(q("small", q, layout))).as("small, %s", layout).isEqualTo(small);
      assertThat(searcher.count(q("big", q, layout))).as("big, %s", layout).isEqualTo(big);
      assertThat(searcher.count(q(TenantScope.all(), q, layout)))
          .as("every tenant, %s", layout)
          .isEqualTo(every);
    }
  }

  @ParameterizedTest
  @EnumSource(TermsLayout.class)
  void aDocumentIndexesEachCatchAllTermOnce(TermsLayout layout) {
    Document d = Documents.audit(record("small", "e0", "alice1000"), null, layout);
    List<String> copies = new ArrayList<>();
    for (IndexableField f : d.getFields(Fields.TENANT_TERMS)) {
      copies.add(f.stringValue());
    }
    long keywordValues =
        d.getFields().stream()
            .filter(f -> Fields.KEYWORDS.contains(f.name()) && f.stringValue() != null)
            .map(f -> f.name() + "=" + f.stringValue())
            .distinct()
            .count();
    if (layout.prefixed()) {
      // The catch-all's terms are prefixed in place, so only the keywords are copied.
      assertThat(copies).hasSize((int) keywordValues);
      assertThat(copies).noneMatch(c -> c.startsWith("small\u0000all\u0000"));
    } else {
      assertThat(copies).anyMatch(c -> c.startsWith("small\u0000all\u0000"));
      assertThat(copies.size()).isGreaterThan((int) keywordValues);
    }
  }

  @ParameterizedTest
  @CsvSource({"'principal:jö*', 1", "'jö*', 1", "'principal:/jö.*/', 1", "'principal:jo*', 0"})
  void aPatternWithANonAsciiPrefixFindsItsTerm(String pattern, int found) throws Exception {
    // A prefix query's automaton is over UTF-8 bytes, a regular expression's over code points:
    // the tenant's prefix in front of each must be over the same.
    for (TermsLayout layout :
        List.of(TermsLayout.COPIES, TermsLayout.PREFIXED, TermsLayout.PREFIXED_WITHOUT_NORMS)) {
      close();
      directory = new ByteBuffersDirectory();
      try (IndexWriter writer =
          new IndexWriter(directory, new IndexWriterConfig(AuditQueryParser.ANALYZER))) {
        writer.addDocument(Documents.audit(record("small", "e0", "jörg"), null, layout));
        writer.addDocument(Documents.audit(record("big", "e0", "jörg"), null, layout));
      }
      reader = DirectoryReader.open(directory);
      IndexSearcher searcher = new IndexSearcher(reader);
      assertThat(searcher.count(q("small", pattern, layout)))
          .as("%s, %s", pattern, layout)
          .isEqualTo(found);
      assertThat(searcher.count(q(TenantScope.all(), pattern, layout)))
          .as("every tenant: %s, %s", pattern, layout)
          .isEqualTo(2 * found);
    }
  }

  @org.junit.jupiter.api.Test
  void aPatternOnAFieldWithoutTenantTermsIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> q("small", "_id:au*", TermsLayout.PREFIXED))
        .isInstanceOf(dev.ledger.index.InvalidQueryException.class)
        .hasMessageContaining("keyword field");
  }
}

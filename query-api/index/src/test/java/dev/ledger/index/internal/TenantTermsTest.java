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
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pattern in one tenant's {@code q} visits only that tenant's terms: tenant {@code big} has 300
 * principals and words matching each pattern, tenant {@code small} one; {@code small}'s patterns
 * enumerate exactly its own term, where a pattern over the shared field enumerates all 301.
 */
class TenantTermsTest {

  private static final int BIG = 300;
  private final Directory directory = new ByteBuffersDirectory();
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

  @BeforeEach
  void index() throws IOException {
    try (IndexWriter writer =
        new IndexWriter(directory, new IndexWriterConfig(AuditQueryParser.ANALYZER))) {
      for (int i = 0; i < BIG; i++) {
        writer.addDocument(Documents.audit(record("big", "e" + i, "alice" + (1000 + i))));
      }
      writer.addDocument(Documents.audit(record("small", "e0", "alice1000")));
    }
    reader = DirectoryReader.open(directory);
  }

  @AfterEach
  void close() throws IOException {
    reader.close();
    directory.close();
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

  private static Query q(String tenant, String q, boolean tenantTerms) throws Exception {
    Problems problems = new Problems();
    Query query =
        Queries.audit(
            TenantScope.of(tenant), AuditFilter.builder().q(q).build(), problems, tenantTerms);
    problems.throwIfAny();
    return query;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"principal:al*", "principal:ali?e*", "principal:/al.*/", "alic*", "alice1000~1"})
  void aTenantsPatternVisitsOnlyItsOwnTerms(String pattern) throws Exception {
    boolean fuzzy = pattern.endsWith("~1");
    assertThat(termsVisited(q("small", pattern, false)))
        .as("over the shared term dictionary (an index from before tenant terms)")
        .isGreaterThanOrEqualTo(fuzzy ? 10 : BIG);
    assertThat(termsVisited(q("small", pattern, true))).as("its own term only").isEqualTo(1);
    IndexSearcher searcher = new IndexSearcher(reader);
    assertThat(searcher.count(q("small", pattern, true)))
        .as("and finds the tenant's record")
        .isEqualTo(1);
    assertThat(searcher.count(q("big", pattern, true)))
        .as("another tenant's records, by its own terms")
        // alice1000 itself, alice1100 and 1200, alice1010..1090 and alice1001..1009
        .isEqualTo(fuzzy ? 21 : BIG);
  }

  @org.junit.jupiter.api.Test
  void aPatternOnAFieldWithoutTenantTermsIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> q("small", "_id:au*", true))
        .isInstanceOf(dev.ledger.index.InvalidQueryException.class)
        .hasMessageContaining("keyword field");
  }
}

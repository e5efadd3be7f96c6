package dev.ledger.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryDatasetTest {

  private static final class Collect implements QueryDataset.Sink {
    final List<TokenNode> tokens = new ArrayList<>();
    final List<AuditRecord> audit = new ArrayList<>();

    @Override
    public void token(TokenNode token) {
      tokens.add(token);
    }

    @Override
    public void audit(AuditRecord record) {
      audit.add(record);
    }
  }

  private static Collect emit(QueryDataset d) throws Exception {
    Collect c = new Collect();
    d.emit(c);
    return c;
  }

  @Test
  void hasAboutTheAskedNumberOfRecordsAndUniqueIds() throws Exception {
    QueryDataset d = new QueryDataset(20_000, 1, 500, 2_000);
    Collect c = emit(d);
    assertThat(c.audit.size()).isBetween(19_000, 20_000);
    assertThat(c.audit.stream().map(AuditRecord::getEventId).distinct().count())
        .isEqualTo(c.audit.size());
    assertThat(c.tokens.stream().map(TokenNode::getTokenId).distinct().count())
        .isEqualTo(c.tokens.size());
  }

  @Test
  void theBigTreeHasTheAskedDescendantsAndChainsEndAtTheirToken() throws Exception {
    QueryDataset d = new QueryDataset(5_000, 1, 1_234, 100);
    Collect c = emit(d);
    assertThat(c.tokens.stream().filter(t -> t.getRootId().equals(d.bigTreeRoot())).count())
        .isEqualTo(1_235);
    for (TokenNode t : c.tokens) {
      Hop last = t.getChain().get(t.getChain().size() - 1);
      assertThat(last.getTokenId()).isEqualTo(t.getTokenId());
      assertThat(t.getChain().get(0).getTokenId()).isEqualTo(t.getRootId());
      assertThat(t.getDepth()).isEqualTo(t.getChain().size() - 1);
    }
  }

  @Test
  void theHotAgentIsInAboutHotRecordsRecords() throws Exception {
    QueryDataset d = new QueryDataset(100_000, 1, 100, 10_000);
    long hot =
        emit(d).audit.stream()
            .filter(
                r ->
                    r.getChain().stream()
                        .anyMatch(h -> QueryDataset.hotAgent().equals(h.getActor())))
            .count();
    assertThat(hot).isBetween(8_000L, 12_000L);
  }

  @Test
  void isDeterministicAndPicksArgumentsThatExist() throws Exception {
    QueryDataset d = new QueryDataset(10_000, 3, 100, 1_000);
    Collect a = emit(d);
    Collect b = emit(d);
    assertThat(a.audit).isEqualTo(b.audit);
    Set<String> principals = new HashSet<>();
    a.audit.forEach(r -> principals.add(r.getTenant() + " " + r.getPrincipal()));
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      QueryKind.Args args = QueryKind.AUDIT_BY_PRINCIPAL.pick(d, random);
      assertThat(principals).contains(args.tenant() + " " + args.value());
    }
    assertThat(a.audit)
        .anyMatch(r -> r.getReason() != null && r.getReason().contains(QueryDataset.word(3)));
  }
}

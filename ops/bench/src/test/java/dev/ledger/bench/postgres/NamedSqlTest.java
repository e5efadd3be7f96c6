package dev.ledger.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

  @Test
  void namesBecomePositionalPlaceholdersInOrderAndCastsStay() {
    NamedSql s = NamedSql.of("SELECT :a, :b_2::timestamptz, '{}'::text[], :a WHERE x = :tenant");
    assertThat(s.jdbc()).isEqualTo("SELECT ?, ?::timestamptz, '{}'::text[], ? WHERE x = ?");
    assertThat(s.names()).containsExactly("a", "b_2", "a", "tenant");
  }

  @Test
  void everyIngestStatementBindsOnlyValuesTheWriterProvides() throws Exception {
    String line =
        """
        {"event_id":"e1","type":"token.used","occurred_at":"2026-01-01T00:00:00Z","tenant":"t1",\
        "use":{"token_id":"tok","resource":"r","action":"GET /x","outcome":"allowed","actor":"agent:a","request_id":"q"}}""";
    var values =
        DerivedWriter.values(
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(line), line);
    for (NamedSql sql : DerivedWriter.STATEMENTS.values()) {
      assertThat(values.keySet()).containsAll(sql.names());
    }
    assertThat(values)
        .containsEntry("tenant", "t1")
        .containsEntry("token", "tok")
        .containsEntry("actor", "agent:a")
        .containsEntry("parent", null);
    assertThat((String) values.get("search")).isEqualTo("e1 token.used tok r GET /x allowed q");
    assertThat(
            List.of(
                DerivedWriter.kindOf("token.used"),
                DerivedWriter.kindOf("token.revoked"),
                DerivedWriter.kindOf("token.attenuated")))
        .containsExactly(
            DerivedWriter.Kind.USE, DerivedWriter.Kind.REVOCATION, DerivedWriter.Kind.TOKEN);
  }
}

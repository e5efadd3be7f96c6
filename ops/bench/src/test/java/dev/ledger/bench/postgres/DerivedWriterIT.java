package dev.ledger.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ledger.bench.revocation.TreeShape;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL baseline writes what its queries read, on a real server (skipped where PostgreSQL
 * is not installed): derived rows from events, and a revocation told to a listener.
 */
class DerivedWriterIT {

  private static PostgresServer pg;

  @BeforeAll
  static void start() {
    assumeThat(PostgresServer.binaries()).isPresent();
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  private static String event(String id, String type, String body) {
    return "{\"event_id\":\""
        + id
        + "\",\"type\":\""
        + type
        + "\",\"occurred_at\":\"2026-01-01T00:00:0"
        + id.charAt(1)
        + "Z\",\"tenant\":\"t1\","
        + body
        + "}";
  }

  private static List<String> column(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void aChainBecomesTokensWithAncestorsAndAuditRowsWithEveryActorOfTheChain() throws Exception {
    try (Connection c = pg.connect()) {
      BaselineSchema.createAll(c);
      c.setAutoCommit(false);
      try (DerivedWriter w = new DerivedWriter(c)) {
        w.add(
            event(
                "e1",
                "token.issued",
                "\"token\":{\"token_id\":\"r\",\"subject\":\"user:u\",\"actor\":\"agent:a\","
                    + "\"scopes\":[\"s\"],\"audience\":[\"aud\"]}"));
        w.add(
            event(
                "e2",
                "token.attenuated",
                "\"token\":{\"token_id\":\"c\",\"parent_token_id\":\"r\","
                    + "\"actor\":\"agent:b\",\"scopes\":[\"s\"],\"audience\":[\"aud\"]}"));
        w.add(
            event(
                "e3",
                "token.attenuated",
                "\"token\":{\"token_id\":\"g\",\"parent_token_id\":\"c\","
                    + "\"actor\":\"agent:c\",\"scopes\":[\"s\"],\"audience\":[\"aud\"]}"));
        w.add(
            event(
                "e4",
                "token.used",
                "\"use\":{\"token_id\":\"g\",\"resource\":\"aud\",\"action\":\"GET /s\","
                    + "\"outcome\":\"allowed\",\"actor\":\"agent:c\"}"));
        w.add(event("e5", "token.revoked", "\"revocation\":{\"token_id\":\"c\",\"reason\":\"x\"}"));
        w.flush();
      }
      c.commit();
      assertThat(
              column(
                  c,
                  "SELECT token_id || ' ' || root_id || ' ' || depth || ' ' || ancestors::text || ' '"
                      + " || principal || ' ' || status FROM tokens ORDER BY depth"))
          .containsExactly(
              "r r 0 {} user:u active", "c r 1 {r} user:u revoked", "g r 2 {r,c} user:u revoked");
      assertThat(
              column(
                  c,
                  "SELECT event_id || ' ' || (SELECT array_agg(x ORDER BY x) FROM unnest(actors) x)::text"
                      + " FROM audit ORDER BY event_id"))
          .containsExactly(
              "e1 {agent:a}",
              "e2 {agent:a,agent:b}",
              "e3 {agent:a,agent:b,agent:c}",
              "e4 {agent:a,agent:b,agent:c}",
              "e5 {agent:a,agent:b}");
      assertThat(
              column(
                  c,
                  "SELECT event_id FROM audit_actor WHERE tenant = 't1' AND actor = 'agent:a'"
                      + " ORDER BY occurred_at DESC"))
          .containsExactly("e5", "e4", "e3", "e2", "e1");
      assertThat(column(c, "SELECT count(*) FROM events")).containsExactly("5");
      // The descendants query reads the ancestors array.
      assertThat(
              column(
                  c,
                  "SELECT token_id FROM tokens WHERE tenant = 't1' AND ancestors @> ARRAY['r']"
                      + " ORDER BY token_id"))
          .containsExactly("c", "g");
    }
  }

  @Test
  void aCascadeIsToldToTheListenerIdById() throws Exception {
    TreeShape shape = TreeShape.tree(450);
    try (Connection c = pg.connect();
        Connection listener = pg.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA rv; SET search_path TO rv");
      }
      BaselineSchema.createAll(c);
      BaselineRevocation.load(c, shape, "it", 2);
      assertThat(
              column(
                  c,
                  "SELECT count(*) FROM tokens WHERE ancestors @> ARRAY['"
                      + TreeShape.tokenId("it0", 0)
                      + "']"))
          .containsExactly("450");
      assertThat(BaselineRevocation.explain(c, "it")).anyMatch(l -> l.contains("tokens_parent"));
      assertThat(column(c, "SELECT count(*) FROM tokens WHERE status = 'revoked'"))
          .containsExactly("0");
      BaselineRevocation.Result r = BaselineRevocation.revokeEach(c, listener, shape, "it", 2);
      assertThat(r.untilNotified().count()).isEqualTo(2);
      assertThat(column(c, "SELECT count(*) FROM tokens WHERE status = 'revoked'"))
          .containsExactly("902");
    }
    assertThat(BaselineRevocation.Listener.count("a,b,c")).isEqualTo(3);
    assertThat(BaselineRevocation.Listener.count("")).isZero();
  }
}

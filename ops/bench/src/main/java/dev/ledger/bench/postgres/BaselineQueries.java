package dev.ledger.bench.postgres;

import dev.ledger.bench.query.QueryKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL a good DBA would write for each {@link QueryKind}, run with prepared statements; every
 * row and column is read, as an API serving JSON would. Some questions have more than one
 * reasonable form: the first {@link Variant} is the access path built for the question, the others
 * are published beside it so a reader sees what the structure buys.
 */
public final class BaselineQueries {

  /**
   * One SQL form of a question.
   *
   * @param kind the question
   * @param label how it is answered, e.g. {@code ancestors @> (GIN)}
   * @param sql the statement; parameters are (tenant, value)
   */
  public record Variant(QueryKind kind, String label, String sql) {}

  private BaselineQueries() {}

  /** The forms of {@code kind}, the one built for it first. */
  public static List<Variant> variants(QueryKind kind) {
    List<Variant> out = new ArrayList<>();
    switch (kind) {
      case TOKEN_BY_ID ->
          out.add(
              new Variant(
                  kind,
                  "primary key, chain by recursive CTE",
                  """
          WITH RECURSIVE up AS (
            SELECT t.*, 0 AS hop FROM tokens t WHERE t.tenant = ? AND t.token_id = ?
            UNION ALL
            SELECT p.*, up.hop + 1 FROM tokens p JOIN up ON p.tenant = up.tenant AND p.token_id = up.parent_id)
          SELECT * FROM up ORDER BY hop"""));
      case DESCENDANTS -> {
        out.add(
            new Variant(
                kind,
                "ancestors text[] @> (GIN)",
                """
            SELECT * FROM tokens WHERE tenant = ? AND ancestors @> ARRAY[?]::text[]
            ORDER BY issued_at DESC, token_id DESC LIMIT 100"""));
        // Only a root's descendants, but newest first straight from the B-tree.
        out.add(
            new Variant(
                kind,
                "(tenant, root_id, issued_at) B-tree, for a root",
                """
            SELECT * FROM tokens WHERE tenant = ? AND root_id = ? AND depth > 0
            ORDER BY issued_at DESC, token_id DESC LIMIT 100"""));
        out.add(
            new Variant(
                kind,
                "recursive CTE over parent_id",
                """
            WITH RECURSIVE down AS (
              SELECT t.tenant, t.token_id FROM tokens t WHERE t.tenant = ? AND t.parent_id = ?
              UNION ALL
              SELECT c.tenant, c.token_id FROM tokens c JOIN down d ON c.tenant = d.tenant AND c.parent_id = d.token_id)
            SELECT t.* FROM tokens t JOIN down d ON t.tenant = d.tenant AND t.token_id = d.token_id
            ORDER BY t.issued_at DESC, t.token_id DESC LIMIT 100"""));
      }
      case AUDIT_BY_PRINCIPAL ->
          out.add(
              new Variant(
                  kind,
                  "(tenant, principal, occurred_at) B-tree",
                  """
          SELECT * FROM audit WHERE tenant = ? AND principal = ? ORDER BY occurred_at DESC LIMIT 100"""));
      case AUDIT_BY_ACTOR, AUDIT_BY_HOT_ACTOR -> {
        out.add(
            new Variant(
                kind,
                "audit_actor side table (B-tree), joined to audit",
                """
            SELECT a.* FROM audit_actor x JOIN audit a ON a.tenant = x.tenant AND a.event_id = x.event_id
            WHERE x.tenant = ? AND x.actor = ? ORDER BY x.occurred_at DESC LIMIT 100"""));
        // MATERIALIZED keeps the planner on the GIN index. Left alone, it walks the time index
        // newest
        // first and tests every row until 100 match: fast for an agent in 100,000 records, but 25 s
        // for a typical agent at 10 M rows (measured).
        out.add(
            new Variant(
                kind,
                "actors text[] @> (GIN)",
                """
            WITH m AS MATERIALIZED (SELECT * FROM audit WHERE tenant = ? AND actors @> ARRAY[?]::text[])
            SELECT * FROM m ORDER BY occurred_at DESC LIMIT 100"""));
      }
      case AUTHORITY_AT ->
          out.add(
              new Variant(
                  kind,
                  "(tenant, actor, issued_at) B-tree with expires_at, revoked_at;"
                      + " uses by T through ancestors (GIN) and audit (tenant, token_id, occurred_at)",
                  """
          WITH p AS (SELECT ?::text AS tenant, ?::text AS actor, ?::timestamptz AS at)
          SELECT t.*, (SELECT count(*) FROM tokens d JOIN audit a ON a.tenant = d.tenant AND a.token_id = d.token_id
                 WHERE d.tenant = t.tenant AND (d.token_id = t.token_id OR d.ancestors @> ARRAY[t.token_id])
                   AND a.type = 'token.used' AND a.outcome = 'allowed' AND a.occurred_at <= p.at) AS uses_at
          FROM p JOIN tokens t ON t.tenant = p.tenant AND t.actor = p.actor AND t.issued_at <= p.at
          WHERE (t.expires_at IS NULL OR t.expires_at >= p.at) AND (t.revoked_at IS NULL OR t.revoked_at > p.at)
          ORDER BY t.issued_at DESC LIMIT 100"""));
      case TOKEN_AT ->
          out.add(
              new Variant(
                  kind,
                  "primary key; the chain's revocations, uses and violations by T"
                      + " through audit (tenant, token_id, occurred_at)",
                  """
          WITH p AS (SELECT ?::text AS tenant, ?::text AS id, ?::timestamptz AS at),
          t AS (SELECT tk.* FROM p JOIN tokens tk ON tk.tenant = p.tenant AND tk.token_id = p.id AND tk.issued_at <= p.at)
          SELECT t.*,
            (SELECT count(*) FROM tokens d JOIN audit a ON a.tenant = d.tenant AND a.token_id = d.token_id
               WHERE d.tenant = t.tenant AND (d.token_id = t.token_id OR d.ancestors @> ARRAY[t.token_id])
                 AND a.type = 'token.used' AND a.outcome = 'allowed' AND a.occurred_at <= p.at) AS uses_at,
            (SELECT a.occurred_at FROM audit a WHERE a.tenant = t.tenant AND a.type = 'token.revoked'
               AND a.token_id = ANY(t.ancestors || t.token_id) AND a.occurred_at <= p.at
               ORDER BY a.occurred_at, a.token_id LIMIT 1) AS revoked_at_t,
            (SELECT array_agg(DISTINCT v) FROM audit a CROSS JOIN LATERAL unnest(a.violations) v
               WHERE a.tenant = t.tenant AND a.token_id = t.token_id AND a.occurred_at <= p.at) AS violations_at
          FROM p, t"""));
      case FREE_TEXT ->
          out.add(
              new Variant(
                  kind,
                  "to_tsvector GIN",
                  """
          WITH m AS MATERIALIZED (
            SELECT * FROM audit WHERE tenant = ? AND to_tsvector('simple', search_text) @@ plainto_tsquery('simple', ?))
          SELECT * FROM m ORDER BY occurred_at DESC LIMIT 100"""));
    }
    return out;
  }

  /**
   * Runs a prepared query with (tenant, value[, at]) and reads every cell; returns the row count.
   */
  public static int run(PreparedStatement statement, QueryKind.Args args) throws SQLException {
    bind(statement, args);
    int rows = 0;
    try (ResultSet rs = statement.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      int columns = md.getColumnCount();
      while (rs.next()) {
        for (int c = 1; c <= columns; c++) {
          rs.getString(c);
        }
        rows++;
      }
    }
    return rows;
  }

  private static void bind(PreparedStatement s, QueryKind.Args args) throws SQLException {
    s.setString(1, args.tenant());
    s.setString(2, args.value());
    if (args.at() != null) {
      s.setObject(3, args.at().atOffset(java.time.ZoneOffset.UTC));
    }
  }

  /**
   * The plan PostgreSQL ran for {@code variant} with {@code args}: EXPLAIN (ANALYZE, BUFFERS), one
   * line each.
   */
  public static List<String> explain(Connection c, Variant variant, QueryKind.Args args)
      throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + variant.sql())) {
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
    }
    return lines;
  }
}

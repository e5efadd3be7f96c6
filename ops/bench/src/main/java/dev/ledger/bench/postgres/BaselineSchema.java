package dev.ledger.bench.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables a team would build instead of the ledger: the resolved tokens with a parent link
 * (chains and descendants by recursive CTE, cascade revocation by recursive UPDATE), the audit
 * trail with every actor of the chain in a {@code text[]} under a GIN index (the fastest "actor
 * anywhere in the chain" PostgreSQL offers without a recursive join), a full-text index, and the
 * raw events. Indexes are created after the bulk load, as one would for COPY.
 */
public final class BaselineSchema {

  static final List<String> TABLES = List.of(
      """
      CREATE TABLE tokens (tenant text NOT NULL, token_id text NOT NULL, parent_id text, root_id text,
        depth int NOT NULL, principal text, actor text, scopes text[] NOT NULL, audience text[] NOT NULL,
        status text NOT NULL, issued_at timestamptz, revoked_at timestamptz, revocation_cause text,
        PRIMARY KEY (tenant, token_id))""",
      """
      CREATE TABLE audit (tenant text NOT NULL, event_id text NOT NULL, type text NOT NULL,
        occurred_at timestamptz NOT NULL, token_id text NOT NULL, principal text, actor text,
        actors text[] NOT NULL, resource text, action text, outcome text, reason text, request_id text,
        violations text[] NOT NULL, search_text text NOT NULL)""",
      """
      CREATE TABLE events (event_id text PRIMARY KEY, tenant text NOT NULL, type text NOT NULL,
        token_id text NOT NULL, occurred_at timestamptz NOT NULL, body jsonb NOT NULL)""");

  static final List<String> INDEXES = List.of(
      "CREATE INDEX tokens_parent ON tokens (tenant, parent_id)",
      "ALTER TABLE audit ADD PRIMARY KEY (tenant, event_id)",
      "CREATE INDEX audit_principal ON audit (tenant, principal, occurred_at DESC)",
      "CREATE INDEX audit_token ON audit (tenant, token_id, occurred_at DESC)",
      "CREATE INDEX audit_time ON audit (tenant, occurred_at DESC)",
      "CREATE INDEX audit_actors ON audit USING gin (actors)",
      "CREATE INDEX audit_search ON audit USING gin (to_tsvector('simple', search_text))");

  private BaselineSchema() {}

  /** Creates the tables (without secondary indexes). */
  public static void createTables(Connection c) throws SQLException {
    execute(c, TABLES);
  }

  /** Creates the indexes and refreshes the planner's statistics. */
  public static void createIndexes(Connection c) throws SQLException {
    execute(c, INDEXES);
    execute(c, List.of("ANALYZE"));
  }

  static void execute(Connection c, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}

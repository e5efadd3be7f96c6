package dev.ledger.bench.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables a good DBA would build instead of the ledger:
 *
 * <ul>
 *   <li>{@code tokens}, resolved, with the parent link (chains by recursive CTE, cascade revocation
 *       by recursive UPDATE over an index on (tenant, parent_id)), the root and every ancestor in
 *       an {@code ancestors text[]} under GIN (descendants at any depth in one index lookup), and
 *       (tenant, root_id, issued_at) for the whole tree of a root;
 *   <li>{@code audit}, with every actor of the chain in {@code actors text[]} under GIN and a
 *       full-text index;
 *   <li>{@code audit_actor}, one row per (audit record, actor of its chain), written in the same
 *       transaction as the audit row: "actor anywhere in the chain, newest first" is then one
 *       B-tree range read in order;
 *   <li>{@code events}, the raw events.
 * </ul>
 *
 * Bulk loads create the indexes after COPY ({@link #createIndexes}); an ingest service writes into
 * indexed tables ({@link #createAll}). The actor columns get a higher statistics target, since
 * their values are very unevenly spread (a hot orchestrator against thousands of rare agents).
 */
public final class BaselineSchema {

  static final List<String> TABLES =
      List.of(
          """
      CREATE TABLE tokens (tenant text NOT NULL, token_id text NOT NULL, parent_id text, root_id text,
        depth int NOT NULL, ancestors text[] NOT NULL, principal text, actor text, scopes text[] NOT NULL,
        audience text[] NOT NULL, status text NOT NULL, issued_at timestamptz, revoked_at timestamptz,
        revocation_cause text, expires_at timestamptz, PRIMARY KEY (tenant, token_id))""",
          """
      CREATE TABLE audit (tenant text NOT NULL, event_id text NOT NULL, type text NOT NULL,
        occurred_at timestamptz NOT NULL, token_id text NOT NULL, principal text, actor text,
        actors text[] NOT NULL, resource text, action text, outcome text, reason text, request_id text,
        violations text[] NOT NULL, search_text text NOT NULL)""",
          """
      CREATE TABLE audit_actor (tenant text NOT NULL, actor text NOT NULL, occurred_at timestamptz NOT NULL,
        event_id text NOT NULL)""",
          """
      CREATE TABLE events (event_id text PRIMARY KEY, tenant text NOT NULL, type text NOT NULL,
        token_id text NOT NULL, occurred_at timestamptz NOT NULL, body jsonb NOT NULL)""",
          "ALTER TABLE audit ALTER COLUMN actors SET STATISTICS 1000",
          "ALTER TABLE audit ALTER COLUMN actor SET STATISTICS 1000",
          "ALTER TABLE audit_actor ALTER COLUMN actor SET STATISTICS 1000",
          "ALTER TABLE tokens ALTER COLUMN actor SET STATISTICS 1000");

  static final List<String> INDEXES =
      List.of(
          "CREATE INDEX tokens_parent ON tokens (tenant, parent_id)",
          "CREATE INDEX tokens_root ON tokens (tenant, root_id, issued_at DESC)",
          "CREATE INDEX tokens_ancestors ON tokens USING gin (ancestors)",
          // "What did this agent hold at T": the agent's tokens by issue time, with the other two
          // temporal
          // columns in the index, so tokens not in force are skipped without visiting the table.
          "CREATE INDEX tokens_actor_time ON tokens (tenant, actor, issued_at DESC) INCLUDE (expires_at, revoked_at)",
          "ALTER TABLE audit ADD PRIMARY KEY (tenant, event_id)",
          "CREATE INDEX audit_principal ON audit (tenant, principal, occurred_at DESC)",
          "CREATE INDEX audit_token ON audit (tenant, token_id, occurred_at DESC)",
          "CREATE INDEX audit_time ON audit (tenant, occurred_at DESC)",
          "CREATE INDEX audit_actors ON audit USING gin (actors)",
          "CREATE INDEX audit_search ON audit USING gin (to_tsvector('simple', search_text))",
          "ALTER TABLE audit_actor ADD PRIMARY KEY (tenant, actor, occurred_at, event_id)");

  private BaselineSchema() {}

  /** Creates the tables (without secondary indexes), for a bulk load. */
  public static void createTables(Connection c) throws SQLException {
    execute(c, TABLES);
  }

  /** Creates the indexes and refreshes the planner's statistics (ANALYZE), after a bulk load. */
  public static void createIndexes(Connection c) throws SQLException {
    execute(c, INDEXES);
    analyze(c);
  }

  /** Tables with every index in place, as an ingest service writes into them. */
  public static void createAll(Connection c) throws SQLException {
    execute(c, TABLES);
    execute(c, INDEXES);
  }

  /** Refreshes the planner's statistics of every table. */
  public static void analyze(Connection c) throws SQLException {
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

package dev.ledger.bench.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.schemas.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a real ingest service on PostgreSQL writes per event, in one statement per event: the raw
 * event, the derived token row (root, parent, depth, ancestors looked up from the parent row), or
 * the cascade of a revocation, and the audit row with every actor of the chain, plus one {@code
 * audit_actor} row per actor. The statements of a transaction go to the server as JDBC batches
 * (consecutive events of the same kind share one), so a batch of events costs a few round trips,
 * not one per event. Not thread-safe: one per connection.
 */
public final class DerivedWriter implements EventSink {

  /** The kinds of event, each with its statement. */
  enum Kind {
    TOKEN,
    USE,
    REVOCATION
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String EVENT =
      """
      e AS (INSERT INTO events (event_id, tenant, type, token_id, occurred_at, body)
        VALUES (:event_id, :tenant, :type, :token, :at::timestamptz, :body::jsonb))""";

  /**
   * The audit row and its audit_actor rows, from a CTE {@code t} (tenant, token_id, ancestors,
   * principal), maybe empty.
   */
  private static final String AUDIT =
      """
      a AS (INSERT INTO audit (tenant, event_id, type, occurred_at, token_id, principal, actor, actors, resource,
          action, outcome, reason, request_id, violations, search_text)
        SELECT :tenant, :event_id, :type, :at::timestamptz, :token, t.principal, :actor, c.actors, :resource, :action,
          :outcome, :reason, :request_id, '{}', :search || ' ' || array_to_string(c.actors, ' ')
        FROM (SELECT 1) one LEFT JOIN t ON true,
          LATERAL (SELECT array(SELECT x.actor FROM tokens x WHERE x.tenant = :tenant
            AND x.token_id = ANY(t.ancestors || t.token_id) AND x.actor IS NOT NULL
            UNION SELECT :actor::text WHERE :actor::text IS NOT NULL) AS actors) c
        RETURNING tenant, actors, occurred_at, event_id)
      INSERT INTO audit_actor (tenant, actor, occurred_at, event_id)
        SELECT a.tenant, u.actor, a.occurred_at, a.event_id FROM a, unnest(a.actors) u(actor)""";

  static final Map<Kind, NamedSql> STATEMENTS =
      Map.of(
          Kind.TOKEN,
              NamedSql.of(
                  """
          WITH p AS (SELECT token_id, root_id, depth, ancestors, principal FROM tokens
            WHERE tenant = :tenant AND token_id = :parent),
          t AS (INSERT INTO tokens (tenant, token_id, parent_id, root_id, depth, ancestors, principal, actor, scopes,
              audience, status, issued_at)
            SELECT :tenant, :token, :parent, coalesce(p.root_id, :token), coalesce(p.depth + 1, 0),
              CASE WHEN p.token_id IS NULL THEN '{}'::text[] ELSE p.ancestors || p.token_id END, coalesce(p.principal, :subject), :actor, :scopes, :audience,
              'active', :at::timestamptz
            FROM (SELECT 1) one LEFT JOIN p ON true
            RETURNING tenant, token_id, ancestors, principal),
          """
                      + EVENT
                      + ",\n"
                      + AUDIT),
          Kind.USE,
              NamedSql.of(
                  """
          WITH t AS (SELECT tenant, token_id, ancestors, principal FROM tokens WHERE tenant = :tenant AND token_id = :token),
          """
                      + EVENT
                      + ",\n"
                      + AUDIT),
          Kind.REVOCATION,
              NamedSql.of(
                  """
          WITH RECURSIVE down AS (
            SELECT token_id FROM tokens WHERE tenant = :tenant AND token_id = :token
            UNION ALL
            SELECT c.token_id FROM tokens c JOIN down d ON c.tenant = :tenant AND c.parent_id = d.token_id),
          r AS (UPDATE tokens SET status = 'revoked', revoked_at = :at::timestamptz, revocation_cause = :token
            WHERE tenant = :tenant AND token_id IN (SELECT token_id FROM down) AND status <> 'revoked'),
          t AS (SELECT tenant, token_id, ancestors, principal FROM tokens WHERE tenant = :tenant AND token_id = :token),
          """
                      + EVENT
                      + ",\n"
                      + AUDIT));

  private final Connection connection;
  private final Map<Kind, PreparedStatement> prepared = new HashMap<>();
  private Kind pending;
  private int pendingCount;

  /** A writer on {@code connection}; the caller decides auto-commit and commits. */
  public DerivedWriter(Connection connection) throws SQLException {
    this.connection = connection;
    for (Kind k : Kind.values()) {
      prepared.put(k, connection.prepareStatement(STATEMENTS.get(k).jdbc()));
    }
  }

  /**
   * Adds one event (a {@code ledger generate} JSON line); sent at the next {@link #flush()} or
   * change of kind.
   */
  @Override
  public void add(String line) throws Exception {
    JsonNode e = JSON.readTree(line);
    Kind kind = kindOf(e.get("type").asText());
    if (pending != null && pending != kind) {
      flush();
    }
    STATEMENTS.get(kind).bind(prepared.get(kind), values(e, line));
    prepared.get(kind).addBatch();
    pending = kind;
    pendingCount++;
  }

  /** Sends what was added (the transaction is the caller's). */
  @Override
  public void flush() throws SQLException {
    if (pending != null && pendingCount > 0) {
      prepared.get(pending).executeBatch();
    }
    pending = null;
    pendingCount = 0;
  }

  static Kind kindOf(String type) {
    return switch (type) {
      case EventType.Names.USED -> Kind.USE;
      case EventType.Names.REVOKED -> Kind.REVOCATION;
      default -> Kind.TOKEN;
    };
  }

  /** The named values of one event's statement. */
  static Map<String, Object> values(JsonNode e, String line) {
    JsonNode body =
        e.has("token") ? e.get("token") : e.has("use") ? e.get("use") : e.get("revocation");
    Map<String, Object> v = new HashMap<>();
    v.put("event_id", e.get("event_id").asText());
    v.put("tenant", e.path("tenant").asText("default"));
    v.put("type", e.get("type").asText());
    v.put("at", e.get("occurred_at").asText());
    v.put("body", line);
    v.put("token", body.get("token_id").asText());
    v.put("parent", text(body, "parent_token_id"));
    v.put("subject", text(body, "subject"));
    v.put("actor", text(body, "actor"));
    v.put("scopes", strings(body.get("scopes")));
    v.put("audience", strings(body.get("audience")));
    v.put("resource", text(body, "resource"));
    v.put("action", text(body, "action"));
    v.put("outcome", text(body, "outcome"));
    v.put("reason", text(body, "reason"));
    v.put("request_id", text(body, "request_id"));
    StringJoiner search = new StringJoiner(" ");
    for (String k :
        List.of(
            "event_id", "type", "token", "resource", "action", "outcome", "reason", "request_id")) {
      if (v.get(k) != null) {
        search.add((String) v.get(k));
      }
    }
    v.put("search", search.toString());
    return v;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String[] strings(JsonNode array) {
    if (array == null || !array.isArray()) {
      return new String[0];
    }
    String[] out = new String[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asText();
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement p : prepared.values()) {
      p.close();
    }
  }
}

package dev.ledger.bench.postgres;

import dev.ledger.bench.harness.Latency;
import dev.ledger.bench.revocation.TreeShape;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;

/**
 * Cascade revocation the way a team would write it on PostgreSQL: one recursive UPDATE over the
 * parent links, timed until its commit. At that point the database knows; nobody has been told
 * (a resource server would still have to poll or be sent a notification per token).
 */
public final class BaselineRevocation {

  static final String CASCADE = """
      WITH RECURSIVE down AS (
        SELECT token_id FROM tokens WHERE tenant = ? AND token_id = ?
        UNION ALL
        SELECT c.token_id FROM tokens c JOIN down d ON c.tenant = ? AND c.parent_id = d.token_id)
      UPDATE tokens SET status = 'revoked', revoked_at = now(), revocation_cause = ?
      WHERE tenant = ? AND token_id IN (SELECT token_id FROM down) AND status <> 'revoked'""";

  private BaselineRevocation() {}

  /** Loads {@code reps} trees of {@code shape} (tree ids {@code prefix + rep}) into the tokens table. */
  public static void load(Connection c, TreeShape shape, String prefix, int reps) throws Exception {
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    CopyText rows = new CopyText();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    for (int r = 0; r < reps; r++) {
      String tree = prefix + r;
      for (int i = 0; i < shape.tokens(); i++) {
        rows.text("default").text(TreeShape.tokenId(tree, i)).text(i == 0 ? null : TreeShape.tokenId(tree, shape.parent(i)))
            .text(TreeShape.tokenId(tree, 0)).number(0).text("user:revocation-bench").text("agent:rv-" + i % 100)
            .array(List.of("mail:read")).array(List.of("https://api.mail.example")).text("active")
            .time(at.plusMillis(i)).text(null).text(null).endRow();
        if (rows.length() > (4 << 20)) {
          copy.copyIn("COPY tokens FROM STDIN", new StringReader(rows.toString()));
          rows.clear();
        }
      }
    }
    copy.copyIn("COPY tokens FROM STDIN", new StringReader(rows.toString()));
    try (var s = c.createStatement()) {
      s.execute("ANALYZE tokens");
    }
  }

  /** Revokes the root of each loaded tree in turn; returns the latency of each until commit. */
  public static Latency revokeEach(Connection c, TreeShape shape, String prefix, int reps) throws Exception {
    Histogram h = Latency.histogram();
    c.setAutoCommit(false);
    try (PreparedStatement update = c.prepareStatement(CASCADE)) {
      for (int r = 0; r < reps; r++) {
        String root = TreeShape.tokenId(prefix + r, 0);
        long t0 = System.nanoTime();
        update.setString(1, "default");
        update.setString(2, root);
        update.setString(3, "default");
        update.setString(4, root);
        update.setString(5, "default");
        int updated = update.executeUpdate();
        c.commit();
        h.recordValue(System.nanoTime() - t0);
        if (updated != shape.tokens()) {
          throw new IllegalStateException("the cascade revoked " + updated + " of " + shape.tokens() + " tokens");
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
    return Latency.of(h);
  }
}

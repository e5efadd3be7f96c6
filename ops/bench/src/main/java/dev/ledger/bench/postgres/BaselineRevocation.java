package dev.ledger.bench.postgres;

import dev.ledger.bench.harness.Latency;
import dev.ledger.bench.revocation.TreeShape;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Cascade revocation the way a good DBA would build it on PostgreSQL: one recursive UPDATE over the
 * index on (tenant, parent_id), then {@code NOTIFY} with the revoked ids (one notification per 200
 * ids, well under the 8,000-byte payload limit), sent at commit. The clock stops when a LISTENing
 * JDBC connection, standing for a resource server, has received every id: the same end point as the
 * ledger's read_committed consumer of ledger.revocations. The time until commit is kept beside it.
 */
public final class BaselineRevocation {

  static final String CHANNEL = "ledger_revocations";
  public static final int IDS_PER_NOTIFICATION = 200;

  static final String CASCADE =
      """
      WITH RECURSIVE down AS (
        SELECT token_id FROM tokens WHERE tenant = ? AND token_id = ?
        UNION ALL
        SELECT c.token_id FROM tokens c JOIN down d ON c.tenant = ? AND c.parent_id = d.token_id),
      revoked AS (UPDATE tokens SET status = 'revoked', revoked_at = now(), revocation_cause = ?
        WHERE tenant = ? AND token_id IN (SELECT token_id FROM down) AND status <> 'revoked' RETURNING token_id),
      chunks AS (SELECT string_agg(token_id, ',') AS ids, count(*) AS n
        FROM (SELECT token_id, (row_number() OVER ()) / %d AS chunk FROM revoked) r GROUP BY chunk)
      SELECT n, pg_notify('%s', ids) FROM chunks"""
          .formatted(IDS_PER_NOTIFICATION, CHANNEL);

  /**
   * Latencies of the same revocations.
   *
   * @param untilCommit from the statement's start to its commit
   * @param untilNotified from the statement's start to the listener's receipt of the last id
   */
  public record Result(Latency untilCommit, Latency untilNotified) {}

  private BaselineRevocation() {}

  /**
   * Loads {@code reps} trees of {@code shape} (tree ids {@code prefix + rep}) into the tokens
   * table.
   */
  public static void load(Connection c, TreeShape shape, String prefix, int reps) throws Exception {
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    CopyText rows = new CopyText();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    for (int r = 0; r < reps; r++) {
      String tree = prefix + r;
      List<List<String>> ancestors = new ArrayList<>(shape.tokens());
      for (int i = 0; i < shape.tokens(); i++) {
        List<String> a = new ArrayList<>();
        if (i > 0) {
          a.addAll(ancestors.get(shape.parent(i)));
          a.add(TreeShape.tokenId(tree, shape.parent(i)));
        }
        ancestors.add(a);
        rows.text("default")
            .text(TreeShape.tokenId(tree, i))
            .text(i == 0 ? null : TreeShape.tokenId(tree, shape.parent(i)))
            .text(TreeShape.tokenId(tree, 0))
            .number(a.size())
            .array(a)
            .text("user:revocation-bench")
            .text("agent:rv-" + i % 100)
            .array(List.of("mail:read"))
            .array(List.of("https://api.mail.example"))
            .text("active")
            .time(at.plusMillis(i))
            .text(null)
            .text(null)
            .text(null)
            .endRow();
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

  /**
   * The plan of the cascade for the first loaded tree, EXPLAIN (ANALYZE, BUFFERS) in a transaction
   * that is rolled back: the tree stays active (and nothing is notified) for the timed runs.
   */
  public static List<String> explain(Connection c, String prefix) throws Exception {
    List<String> lines = new ArrayList<>();
    String root = TreeShape.tokenId(prefix + 0, 0);
    c.setAutoCommit(false);
    try (PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + CASCADE)) {
      bind(s, root);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
    return lines;
  }

  private static void bind(PreparedStatement s, String root) throws Exception {
    s.setString(1, "default");
    s.setString(2, root);
    s.setString(3, "default");
    s.setString(4, root);
    s.setString(5, "default");
  }

  /** Revokes the root of each loaded tree in turn, {@code listener} receiving the notifications. */
  public static Result revokeEach(
      Connection c, Connection listener, TreeShape shape, String prefix, int reps)
      throws Exception {
    Histogram commit = Latency.histogram();
    Histogram notified = Latency.histogram();
    c.setAutoCommit(false);
    try (Listener l = new Listener(listener);
        PreparedStatement update = c.prepareStatement(CASCADE)) {
      for (int r = 0; r < reps; r++) {
        String root = TreeShape.tokenId(prefix + r, 0);
        l.reset();
        long t0 = System.nanoTime();
        bind(update, root);
        long updated = 0;
        try (ResultSet rs = update.executeQuery()) {
          while (rs.next()) {
            updated += rs.getLong(1);
          }
        }
        c.commit();
        commit.recordValue(System.nanoTime() - t0);
        if (updated != shape.tokens()) {
          throw new IllegalStateException(
              "the cascade revoked " + updated + " of " + shape.tokens() + " tokens");
        }
        notified.recordValue(l.awaitIds(shape.tokens()) - t0);
      }
    } finally {
      c.setAutoCommit(true);
    }
    return new Result(Latency.of(commit), Latency.of(notified));
  }

  /** A LISTENing connection counting the ids it receives, on a thread of its own. */
  static final class Listener implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong ids = new AtomicLong();
    private volatile long lastNanos;
    private volatile boolean closed;
    private volatile Exception failure;

    Listener(Connection c) throws Exception {
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + CHANNEL);
      }
      PGConnection pg = c.unwrap(PGConnection.class);
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("pg-listener")
              .start(
                  () -> {
                    try {
                      while (!closed) {
                        PGNotification[] received = pg.getNotifications(50);
                        long now = System.nanoTime();
                        if (received != null) {
                          for (PGNotification n : received) {
                            lastNanos = now;
                            ids.addAndGet(count(n.getParameter()));
                          }
                        }
                      }
                    } catch (Exception e) {
                      failure = e;
                    }
                  });
    }

    /** Ids in a notification payload (comma-separated). */
    static long count(String payload) {
      return payload.isEmpty() ? 0 : payload.chars().filter(ch -> ch == ',').count() + 1;
    }

    void reset() {
      ids.set(0);
    }

    /** Waits until {@code expected} ids arrived since the reset; returns when the last one did. */
    long awaitIds(long expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (ids.get() < expected) {
        if (failure != null) {
          throw new IllegalStateException("the listener failed: " + failure, failure);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the listener received " + ids.get() + " of " + expected + " ids");
        }
        Thread.sleep(1);
      }
      return lastNanos;
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join(5_000);
    }
  }
}

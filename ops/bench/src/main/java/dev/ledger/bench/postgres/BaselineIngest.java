package dev.ledger.bench.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Ingest into PostgreSQL the way an application would, from the same generated events, one
 * transaction per call: either one event per transaction from several clients, or batches. {@link
 * Mode#DERIVED} writes what the queries need (a {@link DerivedWriter}); {@link Mode#RAW} only the
 * raw event (jsonb plus filter columns), the weaker rival kept for comparison.
 */
public final class BaselineIngest {

  /** What is written per event. */
  public enum Mode {
    /**
     * The event, its token or cascade, the audit row and its audit_actor rows, into indexed tables.
     */
    DERIVED("events + tokens + audit + audit_actor rows"),
    /** Only the raw event. */
    RAW("raw events only");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERT =
      "INSERT INTO events (event_id, tenant, type, token_id, occurred_at, body) VALUES (?, ?, ?, ?, ?::timestamptz, ?::jsonb)";

  private BaselineIngest() {}

  /**
   * {@code clients} clients each writing {@code batch} events per transaction for {@code duration};
   * the result's calls are transactions.
   */
  public static ClosedLoop.Result run(
      PostgresServer pg,
      Mode mode,
      int clients,
      int batch,
      Duration warmup,
      Duration duration,
      WorkloadSpec spec)
      throws InterruptedException {
    return ClosedLoop.run(clients, warmup, duration, n -> client(pg, mode, batch, spec, n));
  }

  /**
   * A client writing {@code batch} events per call (one transaction), client number {@code number}.
   */
  public static ClosedLoop.Client client(
      PostgresServer pg, Mode mode, int batch, WorkloadSpec spec, int number) {
    try {
      Connection c = pg.connect();
      c.setAutoCommit(batch == 1);
      // Each client its own seed and trees, so event ids never collide across clients or runs.
      Iterator<String> events =
          WorkloadGenerator.events(
                  WorkloadSpec.builder()
                      .seed(spec.seed() * 1000 + number + 1)
                      .trees(Integer.MAX_VALUE)
                      .tenants(spec.tenants())
                      .build())
              .iterator();
      EventSink sink = mode == Mode.DERIVED ? new DerivedWriter(c) : raw(c, batch > 1);
      return new ClosedLoop.Client() {
        @Override
        public boolean call(SplittableRandom random) throws Exception {
          for (int i = 0; i < batch; i++) {
            sink.add(events.next());
          }
          sink.flush();
          if (batch > 1) {
            c.commit();
          }
          return true;
        }

        @Override
        public void close() throws Exception {
          sink.close();
          c.close();
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the baseline: " + e.getMessage(), e);
    }
  }

  private static EventSink raw(Connection c, boolean batched) throws SQLException {
    PreparedStatement insert = c.prepareStatement(INSERT);
    return new EventSink() {
      @Override
      public void add(String line) throws Exception {
        bind(insert, line);
        if (batched) {
          insert.addBatch();
        } else {
          insert.executeUpdate();
        }
      }

      @Override
      public void flush() throws SQLException {
        if (batched) {
          insert.executeBatch();
        }
      }

      @Override
      public void close() throws SQLException {
        insert.close();
      }
    };
  }

  private static void bind(PreparedStatement insert, String line) throws Exception {
    JsonNode e = JSON.readTree(line);
    JsonNode body =
        e.has("token") ? e.get("token") : e.has("use") ? e.get("use") : e.get("revocation");
    insert.setString(1, e.get("event_id").asText());
    insert.setString(2, e.path("tenant").asText("default"));
    insert.setString(3, e.get("type").asText());
    insert.setString(4, body.get("token_id").asText());
    insert.setString(5, e.get("occurred_at").asText());
    insert.setString(6, line);
  }
}

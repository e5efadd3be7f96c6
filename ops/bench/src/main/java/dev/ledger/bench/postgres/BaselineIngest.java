package dev.ledger.bench.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.ops.workload.WorkloadGenerator;
import dev.ledger.ops.workload.WorkloadSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Ingest into PostgreSQL the way an application would: the same generated events inserted into
 * the {@code events} table (raw JSON as jsonb plus the columns one filters by), either one event
 * per transaction from several clients, or in multi-row batches of one transaction each.
 */
public final class BaselineIngest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERT =
      "INSERT INTO events (event_id, tenant, type, token_id, occurred_at, body) VALUES (?, ?, ?, ?, ?::timestamptz, ?::jsonb)";

  private BaselineIngest() {}

  /**
   * {@code clients} clients each inserting {@code batch} events per transaction for
   * {@code duration}; the result's calls are transactions.
   */
  public static ClosedLoop.Result run(PostgresServer pg, int clients, int batch, Duration warmup, Duration duration,
      WorkloadSpec spec) throws InterruptedException {
    return ClosedLoop.run(clients, warmup, duration, n -> client(pg, batch, spec, n));
  }

  private static ClosedLoop.Client client(PostgresServer pg, int batch, WorkloadSpec spec, int number) {
    try {
      Connection c = pg.connect();
      c.setAutoCommit(batch == 1);
      PreparedStatement insert = c.prepareStatement(INSERT);
      // Each client its own seed and trees, so event ids never collide across clients or runs.
      Iterator<String> events = WorkloadGenerator.events(WorkloadSpec.builder().seed(spec.seed() * 1000 + number + 1)
          .trees(Integer.MAX_VALUE).tenants(spec.tenants()).build()).iterator();
      return new ClosedLoop.Client() {
        @Override
        public boolean call(SplittableRandom random) throws Exception {
          for (int i = 0; i < batch; i++) {
            bind(insert, events.next());
            if (batch > 1) {
              insert.addBatch();
            }
          }
          if (batch > 1) {
            insert.executeBatch();
            c.commit();
          } else {
            insert.executeUpdate();
          }
          return true;
        }

        @Override
        public void close() throws Exception {
          insert.close();
          c.close();
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the baseline: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement insert, String line) throws Exception {
    JsonNode e = JSON.readTree(line);
    JsonNode body = e.has("token") ? e.get("token") : e.has("use") ? e.get("use") : e.get("revocation");
    insert.setString(1, e.get("event_id").asText());
    insert.setString(2, e.path("tenant").asText("default"));
    insert.setString(3, e.get("type").asText());
    insert.setString(4, body.get("token_id").asText());
    insert.setString(5, e.get("occurred_at").asText());
    insert.setString(6, line);
  }
}

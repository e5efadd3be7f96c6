package dev.ledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.bench.postgres.PostgresServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the harness from rotting: every benchmark runs end to end at tiny sizes (fractions of a
 * second per measurement, one warm-up revocation; a real ledger on an embedded broker, PostgreSQL
 * too when it is installed) and writes its section. These are not benchmarks: the numbers are not
 * checked, only that each run completes.
 */
class BenchSmokeIT {

  @TempDir Path dir;

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--report", dir.resolve("BENCHMARKS.md").toString()));
    return Bench.commandLine().execute(all.toArray(String[]::new));
  }

  private String report() throws Exception {
    return Files.readString(dir.resolve("BENCHMARKS.md"));
  }

  @Test
  void everyBenchmarkRunsAtTinySizesAndWritesItsSection() throws Exception {
    boolean postgres = PostgresServer.binaries().isPresent();
    List<String> pipeline =
        new ArrayList<>(
            List.of(
                "pipeline",
                "--partitions",
                "2",
                "--duration",
                "1",
                "--ceiling-duration",
                "1",
                "--max-backlog",
                "300",
                "--warmup-seconds",
                "0.5",
                "--http-clients",
                "2",
                "--http-batch",
                "10",
                "--http-duration",
                "0.5",
                "--pg-duration",
                "0.2"));
    List<String> revocation =
        new ArrayList<>(
            List.of(
                "revocation",
                "--depths",
                "2",
                "--trees",
                "30",
                "--chain-reps",
                "2",
                "--tree-reps",
                "1",
                "--background",
                "20",
                // One unrecorded revocation still runs the warm-up path; the real one is 23 trees.
                "--warmup-chains",
                "1",
                "--warmup-trees",
                "0",
                "--warmup-seconds",
                "1",
                "--partitions",
                "2"));
    List<String> queries =
        new ArrayList<>(
            List.of(
                "queries",
                "--records",
                "1000",
                "--big-tree",
                "100",
                "--hot-records",
                "100",
                "--clients",
                "2",
                "--warmup",
                "0",
                "--duration",
                "0.5",
                "--rate",
                "20"));
    if (!postgres) {
      pipeline.add("--no-postgres");
      revocation.add("--no-postgres");
      queries.add("--no-postgres");
    }

    assertThat(run(pipeline.toArray(String[]::new))).isZero();
    assertThat(report())
        .contains("### Ingest and pipeline throughput")
        .containsPattern("- code: [0-9a-f]{40}")
        .contains(
            "pipeline, 2 partitions: producers to visible in the index (whole ledger, own JVM)")
        .contains("records/s (Kafka producer ceiling)")
        .contains("the same per CPU-second of the ledger process (2 partitions)")
        .contains("Kafka log bytes per event, every topic but ledger.events")
        .contains("memory: RSS of the ledger process")
        // the exactly-once transactions the run cost: a counter that moved, not a missing one (NaN)
        .containsPattern("streams-commits=[1-9][0-9]*")
        .contains("ingest over HTTP: POST /v1/events, 2 clients x 10 events per request")
        .doesNotContain("INCOMPLETE");
    if (postgres) {
      assertThat(report())
          .contains("ingest, derived rows: PostgreSQL one event per transaction, 8 clients")
          .contains("ingest, raw events only (no derived rows; not comparable)");
    }

    assertThat(run(revocation.toArray(String[]::new))).isZero();
    assertThat(report())
        .contains("### Revocation propagation")
        .contains("| chain of depth 2 (depth 2), until every notice is received |")
        .contains("(n=2)")
        .contains("| tree of 30 descendants (depth 2), until every notice is received |");
    if (postgres) {
      assertThat(report())
          .contains("until the LISTENer has every id")
          .contains("PostgreSQL until commit")
          .contains("postgres plan of the cascade, tree of 30 descendants (rolled back):");
    }

    assertThat(run(queries.toArray(String[]::new))).isZero();
    String text = report();
    assertThat(text)
        .contains("### Queries on 1,000 audit records")
        .contains("| token by id (with its chain), closed loop, 2 clients |")
        .contains("| token by id (with its chain), open loop, 20 req/s |");
    if (postgres) {
      assertThat(text)
          .contains("disk: the same data in PostgreSQL")
          .contains("PostgreSQL 1")
          .contains("PostgreSQL by actors text[] @> (GIN)")
          .contains("PostgreSQL by recursive CTE over parent_id")
          .contains(
              "postgres plan AUDIT_BY_ACTOR [audit_actor side table (B-tree), joined to audit]")
          .contains("Index Only Scan Backward using audit_actor_pkey");
    }
    assertThat(
            run(
                "floor",
                "--partitions",
                "2",
                "--events",
                "3000",
                "--warmup-events",
                "1000",
                "--ceiling-duration",
                "0.5"))
        .isZero();
    text = report();
    assertThat(text)
        .contains("### The stack's floor")
        .contains("| floor: each event copied to one output topic (1 record written per event) |")
        .contains("(2 records written per event)")
        .containsPattern("STORED: events=3000 seconds=[0-9.]+ cpu-seconds=[0-9.]+")
        .containsPattern("INDEXED: events=3000 seconds=[0-9.]+ cpu-seconds=[0-9.]+")
        .contains("indexed there by the ledger's own indexer")
        .contains("per broker CPU-second");
    // Each section once: later runs replace, never duplicate.
    assertThat(text.split("### Ingest and pipeline throughput", -1)).hasSize(2);
  }

  @Test
  void jmhFoundTheMicroBenchmarks() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("IngestBenchmarks");
    }
  }
}

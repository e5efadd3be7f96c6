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
 * Keeps the harness from rotting: every benchmark runs end to end at tiny sizes for a few seconds
 * (a real ledger on an embedded broker; PostgreSQL too when it is installed) and writes its
 * section. These are not benchmarks: the numbers are not checked, only that each run completes.
 */
class BenchSmokeIT {

  @TempDir
  Path dir;

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
    assertThat(run("pipeline", "--partitions", "2", "--duration", "3", "--ceiling-duration", "1",
        "--max-backlog", "300", "--warmup-events", "60", "--no-postgres"))
        .isZero();
    assertThat(report()).contains("### Ingest and pipeline throughput")
        .contains("pipeline, 2 partitions: producers to visible in the index")
        .contains("records/s (Kafka producer ceiling)").doesNotContain("INCOMPLETE");

    assertThat(run("revocation", "--depths", "2", "--trees", "30", "--chain-reps", "2", "--tree-reps", "1",
        "--background", "20", "--partitions", "2", "--no-postgres")).isZero();
    assertThat(report()).contains("### Revocation propagation").contains("| chain of depth 2 (depth 2) |")
        .contains("(n=2)").contains("| tree of 30 descendants (depth 2) |");

    boolean postgres = PostgresServer.binaries().isPresent();
    List<String> queries = new ArrayList<>(List.of("queries", "--records", "3000", "--big-tree", "200",
        "--hot-records", "300", "--clients", "2", "--warmup", "0", "--duration", "1"));
    if (!postgres) {
      queries.add("--no-postgres");
    }
    assertThat(run(queries.toArray(String[]::new))).isZero();
    String text = report();
    assertThat(text).contains("### Queries on 3,000 audit records").contains("| token by id (with its chain) |");
    if (postgres) {
      assertThat(text).contains("disk: the same data in PostgreSQL").contains("PostgreSQL 1");
    }
    // Each section once: later runs replace, never duplicate.
    assertThat(text.split("### Ingest and pipeline throughput", -1)).hasSize(2);
  }

  @Test
  void jmhFoundTheMicroBenchmarks() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("IngestBenchmarks");
    }
  }
}

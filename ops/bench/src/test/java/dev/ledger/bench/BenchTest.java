package dev.ledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchTest {

  private static Bench.All all(String... args) {
    CommandLine line = Bench.commandLine();
    CommandLine.ParseResult parsed = line.parseArgs(args);
    return (Bench.All) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void allRunsEveryBenchmarkAndTheQueriesAtBothPublishedSizes() {
    assertThat(all("all").runs())
        .containsExactly(
            List.of("micro"),
            List.of("revocation"),
            List.of("queries", "--records", "1000000"),
            List.of("queries", "--records", "10000000"),
            List.of("pipeline"),
            List.of("floor"));
  }

  @Test
  void theQuerySizesOfAllCanBeChosen() {
    assertThat(all("all", "--query-records", "3000").runs())
        .contains(List.of("queries", "--records", "3000"))
        .hasSize(5);
  }

  @Test
  void aNegativeWarmUpIsRefusedWithAMessageBeforeAnythingStarts() {
    for (String bench : List.of("pipeline", "revocation")) {
      StringWriter err = new StringWriter();
      CommandLine cli = Bench.commandLine().setErr(new PrintWriter(err));
      assertThat(cli.execute(bench, "--warmup-seconds", "-1")).as(bench).isNotZero();
      assertThat(err.toString()).contains("--warmup-seconds must be 0 or more");
    }
  }

  @Test
  void theFloorRefusesLedgerSettingsAndEmptySizesWithAMessage() {
    for (List<String> args :
        List.of(
            List.of("floor", "--set", "streams.commit.interval=20ms"),
            List.of("floor", "--events", "0"),
            List.of("floor", "--shapes", "SIDEWAYS"))) {
      StringWriter err = new StringWriter();
      CommandLine cli = Bench.commandLine().setErr(new PrintWriter(err));
      assertThat(cli.execute(args.toArray(String[]::new))).as(args.toString()).isNotZero();
      assertThat(err.toString()).as(args.toString()).doesNotContain("Exception").isNotBlank();
    }
  }
}

package dev.ledger.bench.micro;

import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of this package (forked JVMs, as JMH wants) and reports ns per operation.
 */
public final class MicroBench {

  /**
   * JMH settings.
   *
   * @param forks forked JVMs per benchmark
   * @param iterations measured iterations per fork
   * @param iterationTime seconds per iteration (warm-up iterations take the same)
   */
  public record Options(int forks, int iterations, int iterationTime) {}

  private final Options options;
  private final PrintStream out;

  public MicroBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Section run(String command) throws Exception {
    Section.Builder section =
        Section.builder("micro", "Micro-benchmarks (JMH): hot code per event")
            .command(command)
            .size("forks", options.forks())
            .size("iterations", options.iterations())
            .size("iteration time", options.iterationTime() + " s");
    ChainedOptionsBuilder jmh =
        new OptionsBuilder()
            .include(MicroBench.class.getPackageName() + ".*Benchmarks.*")
            .forks(options.forks())
            .warmupIterations(Math.max(1, options.iterations() / 2))
            .warmupTime(TimeValue.seconds(options.iterationTime()))
            .measurementIterations(options.iterations())
            .measurementTime(TimeValue.seconds(options.iterationTime()))
            .jvmArgsAppend(
                "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.ledger.schemas.avro")
            .shouldFailOnError(true);
    Collection<RunResult> results;
    try {
      results = new Runner(jmh.build()).run();
    } catch (RunnerException e) {
      if (String.valueOf(e.getMessage()).contains("Unable to acquire the JMH lock")) {
        // Another JMH run on this machine would make both meaningless: say so rather than measure.
        section.note(
            "Skipped: another JMH run holds /tmp/jmh.lock. Rerun when it is done (or pass"
                + " LEDGER_JAVA_OPTS=-Djmh.ignoreLock=true to measure anyway).");
        return section.build();
      }
      throw e;
    }
    for (RunResult r : results) {
      var primary = r.getPrimaryResult();
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      for (String param : r.getParams().getParamsKeys()) {
        name += " " + param + "=" + r.getParams().getParam(param);
      }
      double score = primary.getScore();
      String unit = primary.getScoreUnit();
      String value =
          unit.startsWith("ns/")
              ? String.format(Locale.ROOT, "%.0f ns/op (%,.0f ops/s per core)", score, 1e9 / score)
              : String.format(Locale.ROOT, "%.2f %s", score, unit);
      section.row(new Row(name, value, null, null, null, null));
      section.raw(
          String.format(
              Locale.ROOT,
              "%s: %.1f ± %.1f %s",
              name,
              score,
              primary.getScoreError(),
              primary.getScoreUnit()));
    }
    section.note(
        "IngestBenchmarks: average time per operation on one thread (ops/s per core is its inverse); inputs"
            + " are 1,000 events of `ledger generate`'s mix, cycled. CascadeBenchmarks: single-shot time of one root"
            + " revocation in the real topology inside a TopologyTestDriver (no broker, no transactions, RocksDB stores),"
            + " a fresh tree each time: the processors' own share of the end-to-end revocation latency.");
    return section.build();
  }
}

package dev.ledger.bench.floor;

import dev.ledger.bench.harness.Dirs;
import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.ProcStat;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.harness.ThreadCpu;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerCeiling;
import dev.ledger.bench.ledger.LedgerProcess;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor of the stack: in the same run, Kafka's producer ceiling on a broker configured as the
 * ledger's, then each {@link FloorShape} on a fresh one in its own JVM ({@link FloorProcess}), with
 * the CPU of that JVM per event. It says what the chosen dependencies cost per event before any
 * ledger logic, state of the ledger's own or index: the pipeline's per-CPU target (a ratio to the
 * same ceiling) cannot be met by a ledger that costs more than the floor of its shape.
 */
public final class FloorBench {

  /**
   * Sizes.
   *
   * @param partitions partitions of the input, output and repartition topics
   * @param events events sent per measured shape, as fast as the broker takes them
   * @param warmup events sent and awaited first, unmeasured (start-up and the JIT)
   * @param ceilingDuration how long the ceiling producer sends
   * @param shapes the shapes to measure after the ceiling
   */
  public record Options(
      int partitions, long events, long warmup, Duration ceilingDuration, List<FloorShape> shapes) {
    public Options {
      if (partitions < 1 || events < 1 || warmup < 0) {
        throw new IllegalArgumentException(
            "partitions and events must be at least 1 and warm-up 0 or more");
      }
      shapes = List.copyOf(shapes);
    }
  }

  /** The per-CPU target of the pipeline benchmark, as a ratio to the ceiling. */
  static final double TARGET = 0.05;

  private static final long AWAIT_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Options options;
  private final PrintStream out;

  public FloorBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** What one shape reached. */
  record Measured(
      FloorShape shape,
      long events,
      double seconds,
      double cpuSeconds,
      long rssMax,
      String threads) {
    double perSecond() {
      return events / seconds;
    }

    double perCpuSecond() {
      return events / cpuSeconds;
    }

    double microsPerEvent() {
      return cpuSeconds * 1e6 / events;
    }

    String raw() {
      return String.format(
          Locale.ROOT,
          "%s: events=%d seconds=%.2f cpu-seconds=%.2f rate=%.0f/s per-cpu-second=%.0f"
              + " cpu-per-event=%.1fus rss-max=%s threads: %s",
          shape,
          events,
          seconds,
          cpuSeconds,
          perSecond(),
          perCpuSecond(),
          microsPerEvent(),
          Format.mb(rssMax),
          threads);
    }
  }

  public Section run(String command) throws Exception {
    Section.Builder section =
        Section.builder("floor", "The stack's floor: Kafka Streams exactly-once moving events")
            .command(command)
            .size("partitions", options.partitions())
            .size("events per shape", Format.count(options.events()))
            .size("warm-up events per shape", Format.count(options.warmup()))
            .size("ceiling time", Format.seconds(options.ceilingDuration()));
    List<EncodedEvent> pool =
        new EventEncoder()
            .encodeAll(
                WorkloadGenerator.events(
                    WorkloadSpec.builder().seed(7).trees(Integer.MAX_VALUE).build()),
                50_000);
    ProducerCeiling.Result ceiling;
    double ceilingCpu;
    out.printf("  floor: the producer ceiling on a broker alone ...%n");
    try (Child child = Child.start(FloorShape.BROKER, options.partitions())) {
      // The pipeline's ceiling runs on a broker its warm-up has warmed; so does this one.
      if (options.warmup() > 0) {
        ProducerCeiling.send(child.kafka(), FloorShape.INPUT, pool, options.warmup());
      }
      long cpu = child.cpuNanos();
      ceiling =
          ProducerCeiling.run(child.kafka(), FloorShape.INPUT, pool, options.ceilingDuration());
      ceilingCpu = (child.cpuNanos() - cpu) / 1e9;
    }
    double ceilingPerCpu = ceiling.records() / ceilingCpu;
    String ceilingRaw =
        ceiling.raw() + String.format(Locale.ROOT, " broker-cpu-seconds=%.2f", ceilingCpu);
    out.printf("  ceiling: %s%n", ceilingRaw);
    section.raw("ceiling: " + ceilingRaw);
    String baseline =
        Format.count(ceiling.recordsPerSecond())
            + " records/s, "
            + Format.count(ceilingPerCpu)
            + " per broker CPU-second";
    // What the pipeline's per-CPU target allows the whole ledger per event, in this run.
    double budget = 1e6 / (TARGET * ceilingPerCpu);
    List<Measured> measured = new ArrayList<>();
    for (FloorShape shape : options.shapes()) {
      if (shape == FloorShape.BROKER) {
        continue;
      }
      out.printf("  floor: %s ...%n", shape);
      Measured m = measure(shape, pool);
      out.printf("  %s%n", m.raw());
      section.raw(m.raw());
      measured.add(m);
      section.row(
          new Row(
              describe(shape),
              Format.count(m.perSecond())
                  + " events/s, "
                  + Format.count(m.perCpuSecond())
                  + " per CPU-second ("
                  + String.format(Locale.ROOT, "%.1f", m.microsPerEvent())
                  + " µs of CPU per event)",
              baseline,
              ratio(m.perSecond() / ceiling.recordsPerSecond())
                  + " by wall clock, "
                  + ratio(m.perCpuSecond() / ceilingPerCpu)
                  + " per CPU-second",
              "pipeline: ≥ " + ratio(TARGET) + " of the ceiling per CPU-second",
              left(m.microsPerEvent(), budget)));
    }
    section.note(
        "A component result, not the ledger: no validation, no chains, no token state; no index but in the"
            + " indexed shape, whose audit records lack the chain's hops and actors the ledger's carry (a lighter"
            + " document than the ledger's), and whose clock stops when the indexer has written every document"
            + " (searchable at the next reopen, at most 500 ms later). Each shape runs in a JVM of its own"
            + " started with the launcher's JVM flags and default heap, on a fresh embedded broker started as"
            + " `./ledger up` starts it (same broker settings and login), with one Kafka Streams client configured by the"
            + " ledger's own `LedgerTopology.streamsConfig` (exactly-once v2, 100 ms commits, lz4, the same fetch waits),"
            + " and the same "
            + Format.count(options.partitions())
            + " partitions per topic. This bench's JVM sends the pipeline benchmark's encoded events (a pool of"
            + " 50,000, same keys and sizes) with the pipeline's producer settings as fast as the broker takes them, and"
            + " counts the output with a read_committed consumer; the clock and the CPU (utime + stime of the floor's"
            + " JVM, broker included, as the ledger's CPU includes its broker) run from the first send to the last"
            + " output record, after a warm-up of the same shape.");
    section.note(
        "The ceiling is measured as in the pipeline benchmark: the same producer on a broker alone, its records"
            + " over that broker's CPU. The per-CPU target of the pipeline (0.05x of this ceiling) allows "
            + String.format(Locale.ROOT, "%.0f", budget)
            + " µs of CPU per event in this run for the whole ledger: broker, stream processing, state, index and"
            + " API.");
    for (int i = 1; i < measured.size(); i++) {
      Measured a = measured.get(i - 1);
      Measured b = measured.get(i);
      int extra = b.shape().recordsWritten() - a.shape().recordsWritten();
      if (extra > 0) {
        section.raw(
            String.format(
                Locale.ROOT,
                "%s -> %s: %.1f µs of CPU per event more for %d more record(s) written",
                a.shape(),
                b.shape(),
                b.microsPerEvent() - a.microsPerEvent(),
                extra));
      }
    }
    return section.build();
  }

  private static String describe(FloorShape shape) {
    return switch (shape) {
      case PASS_THROUGH ->
          "floor: each event copied to one output topic (1 record written per event)";
      case REPARTITIONED ->
          "floor: each event through a repartition topic, then to the output (2 records written per event)";
      case STORED ->
          "floor: as the repartitioned shape, plus a put in a cached, logged RocksDB store (3 records"
              + " written per event before coalescing)";
      case INDEXED ->
          "floor: as the repartitioned shape, each event made its audit record (no chain) on ledger.audit"
              + " and indexed there by the ledger's own indexer (2 records written and one Lucene document"
              + " per event)";
      case BROKER -> "the broker alone";
    };
  }

  /** How much of the per-event budget the floor leaves to everything the ledger does beyond it. */
  static String left(double floorMicros, double budgetMicros) {
    double left = budgetMicros - floorMicros;
    return left > 0
        ? String.format(
            Locale.ROOT,
            "leaves %.0f of the target's %.0f µs per event to the ledger's own work",
            left,
            budgetMicros)
        : String.format(
            Locale.ROOT,
            "leaves nothing: the floor alone is %.0f µs over the target's %.0f µs per event",
            -left,
            budgetMicros);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, r >= 0.1 ? "%.2fx" : "%.4fx", r);
  }

  private Measured measure(FloorShape shape, List<EncodedEvent> pool) throws Exception {
    // An indexed shape is done when its indexer has written every document, as the pipeline is
    // when the index has every audit record; the others when the output has every record.
    try (Child child = Child.start(shape, options.partitions());
        Done done =
            shape.indexed()
                ? child::indexed
                : new Counted(child.kafka(), shape.output(), options.partitions())) {
      if (options.warmup() > 0) {
        ProducerCeiling.send(child.kafka(), FloorShape.INPUT, pool, options.warmup());
        await(done, options.warmup(), child);
      }
      ThreadCpu.Mark threads = ThreadCpu.mark(child.pid());
      long cpu = child.cpuNanos();
      long start = System.nanoTime();
      ProducerCeiling.send(child.kafka(), FloorShape.INPUT, pool, options.events());
      long rssMax = await(done, options.warmup() + options.events(), child);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (child.cpuNanos() - cpu) / 1e9;
      return new Measured(
          shape, options.events(), seconds, cpuSeconds, rssMax, threads.formatSince(0.02));
    }
  }

  /** How many events a floor process has finished so far. */
  private interface Done extends AutoCloseable {
    /** Events done; may wait up to about 100 ms for more. */
    long count() throws IOException, InterruptedException;

    @Override
    default void close() {}
  }

  /** Events done are records on the output, counted from its start by a read_committed consumer. */
  private static final class Counted implements Done {
    private final KafkaConsumer<byte[], byte[]> output;
    private long seen;

    Counted(KafkaClientSettings kafka, String topic, int partitions) {
      Map<String, Object> config = new java.util.HashMap<>(kafka.config());
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
      output =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      output.assign(all);
      output.seekToBeginning(all);
    }

    @Override
    public long count() {
      seen += output.poll(Duration.ofMillis(100)).count();
      return seen;
    }

    @Override
    public void close() {
      output.close();
    }
  }

  /**
   * Waits until {@code done} has counted at least {@code until} events; returns the child's largest
   * RSS seen meanwhile.
   */
  private static long await(Done done, long until, Child child)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + AWAIT_TIMEOUT_NANOS;
    long rssMax = 0;
    long seen;
    while ((seen = done.count()) < until) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the floor process stopped at " + seen + " of " + until + " events");
      }
      rssMax = Math.max(rssMax, ProcStat.residentBytes(child.pid()));
    }
    return rssMax;
  }

  /** A {@link FloorProcess} in a JVM of its own, on a fresh directory deleted when it closes. */
  static final class Child implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final KafkaClientSettings kafka;

    private Child(Process process, Path dir, KafkaClientSettings kafka) {
      this.process = process;
      this.dir = dir;
      this.kafka = kafka;
    }

    static Child start(FloorShape shape, int partitions) throws IOException, InterruptedException {
      Path root = LedgerProcess.repositoryRoot();
      Path bench = root.resolve("ops/bench/target");
      Path dir = Files.createTempDirectory("ledger-floor-");
      List<String> command =
          LedgerProcess.javaCommand(
              root, bench, LedgerProcess.benchOptions(), FloorProcess.class.getName());
      command.addAll(List.of(shape.name(), dir.toString(), Integer.toString(partitions)));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("floor.log").toFile())
              .start();
      try {
        awaitReady(p, dir.resolve("floor.log"));
        return new Child(
            p, dir, KafkaClientSettings.read(dir.resolve(KafkaClientSettings.FILE_NAME)));
      } catch (IOException | RuntimeException e) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Dirs.deleteTree(dir);
        throw e;
      }
    }

    private static void awaitReady(Process p, Path log) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (System.nanoTime() < deadline) {
        if (Files.exists(log)) {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
            if (r.lines().anyMatch(FloorProcess.READY::equals)) {
              return;
            }
          }
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "the floor process exited with " + p.exitValue() + ":\n" + tail(log));
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "the floor process was not ready in 3 minutes:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    KafkaClientSettings kafka() {
      return kafka;
    }

    long pid() {
      return process.pid();
    }

    long cpuNanos() {
      return ProcStat.cpuNanos(process.pid());
    }

    /** The documents its indexer has written, as it last printed; waits 100 ms first. */
    long indexed() throws IOException, InterruptedException {
      Thread.sleep(100);
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the floor process exited with " + process.exitValue() + ":\n" + tail(log()));
      }
      String text = tail(log());
      int at = text.lastIndexOf(FloorProcess.INDEXED);
      if (at < 0) {
        return 0;
      }
      int end = text.indexOf('\n', at);
      return end < 0
          ? 0 // the line is still being written
          : Long.parseLong(text.substring(at + FloorProcess.INDEXED.length(), end).trim());
    }

    private Path log() {
      return dir.resolve("floor.log");
    }

    @Override
    public void close() throws InterruptedException, IOException {
      process.getOutputStream().close(); // the floor process ends with its standard input
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      Dirs.deleteTree(dir);
    }
  }
}

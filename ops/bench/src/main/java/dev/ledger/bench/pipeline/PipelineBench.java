package dev.ledger.bench.pipeline;

import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerCeiling;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.postgres.BaselineIngest;
import dev.ledger.bench.postgres.BaselineSchema;
import dev.ledger.bench.postgres.PostgresServer;
import dev.ledger.ops.workload.WorkloadGenerator;
import dev.ledger.ops.workload.WorkloadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Throughput: for each partition count, a fresh ledger (all roles in this JVM, embedded broker,
 * exactly-once), Kafka's producer ceiling on its broker, then the pipeline from producers to
 * "visible in the index"; once, PostgreSQL inserts of the same events as the baseline a team
 * would otherwise build. Also memory and disk per million events.
 */
public final class PipelineBench {

  /**
   * Sizes.
   *
   * @param partitions partition counts to run, e.g. 1, 6, 12
   * @param duration how long producers send (the target asks for at least 60 s)
   * @param ceilingDuration how long the ceiling producer sends
   * @param tenants tenants the workload spreads over
   * @param maxBacklog how far the index may fall behind the producer, in events
   * @param postgres whether to run the PostgreSQL ingest baseline
   * @param postgresDuration per PostgreSQL ingest mode
   * @param ledgerSettings further configuration of the ledger under test
   * @param warmupEvents events sent and awaited before anything is measured (streams start-up)
   */
  public record Options(List<Integer> partitions, Duration duration, Duration ceilingDuration, int tenants,
      long maxBacklog, boolean postgres, Duration postgresDuration, Map<String, String> ledgerSettings,
      int warmupEvents) {}

  static final String CEILING_TOPIC = "bench.ceiling";

  private final Options options;
  private final PrintStream out;

  public PipelineBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** The realistic mix of {@code ledger generate}, with {@code tenants} tenants. */
  WorkloadSpec spec(long seed) {
    return WorkloadSpec.builder().seed(seed).trees(Integer.MAX_VALUE).tenants(options.tenants()).build();
  }

  public Section run(String command) throws Exception {
    // Runs with several tenants get a section of their own, beside the single-tenant one.
    String suffix = options.tenants() == 1 ? "" : "-tenants-" + options.tenants();
    Section.Builder section = Section.builder("pipeline" + suffix, "Ingest and pipeline throughput"
        + (options.tenants() == 1 ? "" : " with " + options.tenants() + " tenants"))
        .command(command).size("partitions", options.partitions()).size("producer time", options.duration().toSeconds() + " s")
        .size("ceiling time", options.ceilingDuration().toSeconds() + " s").size("tenants", options.tenants())
        .size("max index backlog", options.maxBacklog()).size("warm-up events", options.warmupEvents());
    section.size("streams commit interval", BenchLedger.commitInterval(options.ledgerSettings()));
    options.ledgerSettings().forEach(section::size);
    double sixPartitionRate = Double.NaN;
    for (int partitions : options.partitions()) {
      double rate = runOne(partitions, section);
      if (partitions == 6 || Double.isNaN(sixPartitionRate)) {
        sixPartitionRate = rate;
      }
    }
    if (!options.postgres()) {
      section.note("PostgreSQL ingest baseline skipped (--no-postgres).");
    } else if (PostgresServer.binaries().isEmpty()) {
      section.note(PostgresServer.installHint() + "; baseline skipped.");
    } else {
      runPostgres(section, sixPartitionRate);
    }
    section.note("Pipeline: one idempotent producer (acks=all, linger 5 ms, 64 KiB batches) sends `ledger generate`"
        + " events (trees of depth 3, fan-out 2, 2 uses per token, 5 % violations, 2 % revocations) to ledger.events;"
        + " the clock stops when every event's audit record is indexed and the last event of each partition is"
        + " searchable through GET /v1/audit. Streams runs exactly-once (exactly_v2) with the ledger's default settings (`ledger config` shows them; --set changes them)."
        + " Event generation and Avro encoding run in the same JVM and take CPU from the pipeline.");
    section.note("Ceiling: the same producer settings sending a pool of 50,000 of the same encoded events (same keys"
        + " and sizes) as fast as the broker acknowledges, on the same embedded broker, while the pipeline is idle"
        + " (equivalent to kafka-producer-perf-test with a payload file).");
    return section.build();
  }

  private double runOne(int partitions, Section.Builder section) throws Exception {
    out.printf("  pipeline with %d partitions: starting the ledger ...%n", partitions);
    try (BenchLedger ledger = BenchLedger.start(BenchLedger.Options.defaults().partitions(partitions)
        .settings(options.ledgerSettings()))) {
      WorkloadSpec warm = WorkloadSpec.builder().seed(900 + partitions).trees(Math.max(1, options.warmupEvents() / 30))
          .tenants(options.tenants()).build();
      PipelineRun.Result warmup = PipelineRun.run(ledger, warm, Duration.ofMinutes(2), options.maxBacklog());
      out.printf("  warm-up: %s%n", warmup.raw());

      createCeilingTopic(ledger.bootstrapServers(), partitions);
      List<EncodedEvent> pool = new EventEncoder().encodeAll(WorkloadGenerator.events(spec(7)), 50_000);
      double avgSize = pool.stream().mapToInt(EncodedEvent::size).average().orElse(0);
      ProducerCeiling.Result ceiling = ProducerCeiling.run(ledger.bootstrapServers(), CEILING_TOPIC, pool,
          options.ceilingDuration());
      out.printf("  ceiling: %s (records of %.0f bytes on average)%n", ceiling.raw(), avgSize);

      PipelineRun.Result run = PipelineRun.run(ledger, spec(42), options.duration(), options.maxBacklog());
      out.printf("  pipeline: %s%n", run.raw());
      double ratio = run.eventsPerSecond() / ceiling.recordsPerSecond();
      section.row(new Row(String.format(Locale.ROOT, "pipeline, %d partition%s: producers to visible in the index",
          partitions, partitions == 1 ? "" : "s"),
          Format.count(run.eventsPerSecond()) + " events/s" + (run.complete() ? "" : " (INCOMPLETE)"),
          Format.count(ceiling.recordsPerSecond()) + " records/s (Kafka producer ceiling)", Format.ratio(ratio),
          ">= 0.25x of the ceiling", Row.atLeast(ratio, 0.25)));
      double cpuRatio = (run.visible() / run.cpuSeconds()) / (ceiling.records() / ceiling.cpuSeconds());
      section.row(new Row(String.format(Locale.ROOT, "the same per CPU-second of the process (%d partitions)", partitions),
          Format.count(run.visible() / run.cpuSeconds()) + " events/CPU-s",
          Format.count(ceiling.records() / ceiling.cpuSeconds()) + " records/CPU-s", Format.ratio(cpuRatio), null,
          null));
      section.raw(String.format(Locale.ROOT, "partitions=%d ceiling: %s avg-record-bytes=%.0f", partitions,
          ceiling.raw(), avgSize));
      section.raw(String.format(Locale.ROOT, "partitions=%d pipeline: %s", partitions, run.raw()));
      footprint(ledger, partitions, run.events() + warmup.events(), section);
      return run.eventsPerSecond();
    }
  }

  private void footprint(BenchLedger ledger, int partitions, long events, Section.Builder section) throws IOException {
    long kafka = kafkaBytesWithoutCeiling(ledger.dataDir().resolve("kafka"));
    long streams = ledger.diskBytes("streams");
    long index = ledger.diskBytes("index");
    double perMillion = 1e6 / Math.max(1, events);
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = residentBytes();
    section.row(new Row(String.format(Locale.ROOT, "disk per million events (%d partitions): Kafka record logs / streams state / index",
        partitions), Format.mb(kafka * perMillion) + " / " + Format.mb(streams * perMillion) + " / "
        + Format.mb(index * perMillion), null, null, null, null));
    section.row(new Row(String.format(Locale.ROOT, "memory after %s events (%d partitions): heap after GC / process RSS",
        Format.count(events), partitions), Format.mb(heap) + " / " + Format.mb(rss), null, null, null, null));
    section.raw(String.format(Locale.ROOT, "partitions=%d events=%d kafka-bytes=%d streams-bytes=%d index-bytes=%d"
        + " heap-after-gc=%d rss=%d", partitions, events, kafka, streams, index, heap, rss));
  }

  /**
   * Bytes of the broker's record logs ({@code *.log} segments) without the ceiling topic. The rest
   * of the log directory is mostly index files that Kafka preallocates sparsely (10 MB each), whose
   * length says nothing about the disk they use.
   */
  private static long kafkaBytesWithoutCeiling(Path kafka) throws IOException {
    if (!Files.exists(kafka)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(kafka)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .filter(p -> !p.getParent().getFileName().toString().startsWith(CEILING_TOPIC + "-"))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return -1;
  }

  private static void createCeilingTopic(String bootstrap, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(CEILING_TOPIC, partitions, (short) 1))).all().get();
    }
  }

  private void runPostgres(Section.Builder section, double ledgerRate) throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      try (Connection c = pg.connect()) {
        BaselineSchema.createTables(c);
      }
      Duration warmup = Duration.ofSeconds(3);
      ClosedLoop.Result single = BaselineIngest.run(pg, 8, 1, warmup, options.postgresDuration(), spec(1));
      out.printf("  postgres one event per transaction, 8 clients: %s%n", single.raw());
      ClosedLoop.Result batched = BaselineIngest.run(pg, 1, 500, warmup, options.postgresDuration(), spec(2));
      out.printf("  postgres 500-row batches, 1 client: %s%n", batched.raw());
      double singleRate = single.callsPerSecond();
      double batchRate = batched.callsPerSecond() * 500;
      String ledger = Format.count(ledgerRate) + " events/s (pipeline, " + (options.partitions().contains(6) ? 6
          : options.partitions().get(0)) + " partitions, derived and indexed)";
      section.row(new Row("ingest: PostgreSQL INSERT, one event per transaction, 8 clients", ledger,
          Format.count(singleRate) + " rows/s (p99 " + Format.ms(single.latency().p99()) + " ms)",
          Format.ratio(ledgerRate / singleRate), "beat 5.2 k/s", Row.atLeast(ledgerRate, 5_200)));
      section.row(new Row("ingest: PostgreSQL INSERT, 500-row batches, 1 client", ledger,
          Format.count(batchRate) + " rows/s", Format.ratio(ledgerRate / batchRate), "beat 15.9 k rows/s",
          Row.atLeast(ledgerRate, 15_900)));
      section.raw("postgres single-insert 8 clients: " + single.raw());
      section.raw("postgres 500-row batches 1 client (calls are batches): " + batched.raw());
      section.note("PostgreSQL baseline: " + pg.settingsSummary() + ". It only stores the raw event (jsonb plus"
          + " filter columns, primary key on event_id); the ledger in the same comparison also derives chains, status,"
          + " violations and audit records and indexes them. Kafka's broker does not fsync each write (it relies on"
          + " the OS page cache, and on replication in a real cluster), PostgreSQL fsyncs every commit.");
    }
  }
}

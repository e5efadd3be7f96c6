package dev.ledger.bench.pipeline;

import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.bench.harness.Cpu;
import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.ProcStat;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.RssSampler;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.harness.ThreadCpu;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.KafkaLogBytes;
import dev.ledger.bench.kafka.ProducerCeiling;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.ledger.LedgerProcess;
import dev.ledger.bench.postgres.BaselineIngest;
import dev.ledger.bench.postgres.BaselineSchema;
import dev.ledger.bench.postgres.PostgresServer;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Throughput: for each partition count, a fresh ledger in a JVM of its own ({@code ledger up} with
 * the launcher's flags and default heap, embedded broker, exactly-once), Kafka's producer ceiling
 * on its broker, then the pipeline from producers to "visible in the index", with the ledger
 * process's CPU, memory (RSS) and the bytes its broker wrote per event; at one partition count also
 * ingest over HTTP. Once, PostgreSQL ingest of the same events as a good DBA's ingest service would
 * write them (and raw events only, labelled so).
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
   * @param warmup how long events are sent (and then awaited) before anything is measured:
   *     start-up, and the JIT, whose compiler threads still took 0.41 of the 2 cores during the
   *     measured run after a warm-up of 40,000 events (about a minute)
   * @param httpClients concurrent clients of the HTTP ingest row
   * @param httpBatch events per {@code POST /v1/events}
   * @param httpDuration how long the HTTP clients post
   */
  public record Options(
      List<Integer> partitions,
      Duration duration,
      Duration ceilingDuration,
      int tenants,
      long maxBacklog,
      boolean postgres,
      Duration postgresDuration,
      Map<String, String> ledgerSettings,
      Duration warmup,
      int httpClients,
      int httpBatch,
      Duration httpDuration) {}

  /** What the ledger side measured at the partition count the ingest rows compare. */
  private record LedgerSide(int partitions, double eventsPerSecond, ClosedLoop.Result http) {}

  static final String CEILING_TOPIC = "bench.ceiling";

  /**
   * The stream threads' commits, each an exactly-once transaction: how often the app commits under
   * load (its interval, and every revocation asking for a commit at once) is what the broker's
   * transaction work scales with.
   */
  private static final String STREAM_COMMITS = "kafka_stream_thread_commit_total";

  /**
   * Not topics of the ledger's write path: the input itself, the ceiling's topic, and KRaft's
   * metadata log.
   */
  static final Set<String> NOT_AMPLIFICATION =
      Set.of(Topics.EVENTS.name(), CEILING_TOPIC, "__cluster_metadata");

  static final int PG_BATCH = 500;
  static final int PG_CLIENTS = 8;
  static final double TARGET_RATIO = 0.05;

  /**
   * The derived-ingest target is the same run's PostgreSQL, not a figure from an older run: the
   * baseline's speed moves with the machine as much as the ledger's does.
   */
  static final String BEAT_POSTGRES = "beat PostgreSQL in the same run";

  static final double TARGET_BYTES_RATIO = 4;
  static final double TARGET_RSS_MB = 1024;

  private final Options options;
  private final PrintStream out;

  public PipelineBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** The realistic mix of {@code ledger generate}, with {@code tenants} tenants. */
  WorkloadSpec spec(long seed) {
    return WorkloadSpec.builder()
        .seed(seed)
        .trees(Integer.MAX_VALUE)
        .tenants(options.tenants())
        .build();
  }

  public Section run(String command) throws Exception {
    // Runs with several tenants get a section of their own, beside the single-tenant one.
    String suffix = options.tenants() == 1 ? "" : "-tenants-" + options.tenants();
    Section.Builder section =
        Section.builder(
                "pipeline" + suffix,
                "Ingest and pipeline throughput"
                    + (options.tenants() == 1 ? "" : " with " + options.tenants() + " tenants"))
            .command(command)
            .size("partitions", options.partitions())
            .size("producer time", options.duration().toSeconds() + " s")
            .size("ceiling time", options.ceilingDuration().toSeconds() + " s")
            .size("tenants", options.tenants())
            .size("max index backlog", options.maxBacklog())
            .size("warm-up", options.warmup().toSeconds() + " s")
            .size(
                "HTTP ingest",
                options.httpClients()
                    + " clients x "
                    + options.httpBatch()
                    + " events per request, "
                    + Format.seconds(options.httpDuration()));
    section.size("streams commit interval", BenchLedger.commitInterval(options.ledgerSettings()));
    options.ledgerSettings().forEach(section::size);
    int compared = options.partitions().contains(6) ? 6 : options.partitions().get(0);
    LedgerSide side = null;
    for (int partitions : options.partitions()) {
      LedgerSide s = runOne(partitions, section, partitions == compared);
      if (partitions == compared) {
        side = s;
      }
    }
    if (!options.postgres()) {
      section.note("PostgreSQL ingest baseline skipped (--no-postgres).");
      ingestRows(section, side, null);
    } else if (PostgresServer.binaries().isEmpty()) {
      section.note(PostgresServer.installHint() + "; baseline skipped.");
      ingestRows(section, side, null);
    } else {
      runPostgres(section, side);
    }
    section.note(
        "Pipeline: the ledger runs in a JVM of its own, started as `./ledger up` starts it (the launcher's"
            + " JVM flags, its default heap, a fresh data directory), so its CPU and memory are its own; this bench's JVM"
            + " generates and Avro-encodes `ledger generate` events (trees of depth 3, fan-out 2, 2 uses per token, 5 %"
            + " violations, 2 % revocations) and sends them with one idempotent producer (acks=all, linger 5 ms, 64 KiB"
            + " batches) to ledger.events; the clock stops when every event's audit record is indexed and the last event"
            + " of each partition is searchable through GET /v1/audit. Index progress is read from GET /metrics at most"
            + " every 500 ms (a scrape of its ~1,000 meters costs the ledger CPU, which counts against it; the indexer's"
            + " count is then seen within 500 ms, and the searchable check of the last events is exact). Streams runs"
            + " exactly-once (exactly_v2) with"
            + " the ledger's default settings (`ledger config` shows them; --set changes them).");
    section.note(
        "Ceiling: the same producer settings sending a pool of 50,000 of the same encoded events (same keys"
            + " and sizes) as fast as the broker acknowledges, on the ledger's own broker, while the pipeline is idle"
            + " (equivalent to kafka-producer-perf-test with a payload file). Per CPU-second: events over the CPU time"
            + " of the ledger process (utime + stime from /proc/<pid>/stat) during the pipeline run; the ceiling's records"
            + " over the same process's CPU during the ceiling run (its broker's work). The load generator's CPU is in"
            + " the raw numbers.");
    section.note(
        "Bytes per event: growth of the broker's record log segments (*.log) of every topic except"
            + " ledger.events (and the ceiling's topic and KRaft's metadata log) during the pipeline run, per event sent,"
            + " over the event's encoded size (key + Avro value); per topic in the raw numbers. Memory: the ledger"
            + " process's VmRSS from /proc/<pid>/status, sampled every 200 ms from its start.");
    return section.build();
  }

  private LedgerSide runOne(int partitions, Section.Builder section, boolean compared)
      throws Exception {
    out.printf(
        "  pipeline with %d partitions: starting the ledger in its own JVM ...%n", partitions);
    try (LedgerProcess ledger = LedgerProcess.start(partitions, options.ledgerSettings());
        RssSampler rss = new RssSampler(ledger.pid())) {
      ThreadCpu.Mark warming = ThreadCpu.mark(ledger.pid());
      PipelineRun.Result warmup =
          PipelineRun.run(ledger, spec(900 + partitions), options.warmup(), options.maxBacklog());
      String warmingThreads = warming.formatSince(0.02);
      out.printf(
          "  warm-up: %s%n  ledger cores by thread during the warm-up: %s%n",
          warmup.raw(), warmingThreads);

      createCeilingTopic(ledger.kafkaClient(), partitions);
      List<EncodedEvent> pool =
          new EventEncoder().encodeAll(WorkloadGenerator.events(spec(7)), 50_000);
      double avgSize = pool.stream().mapToInt(EncodedEvent::size).average().orElse(0);
      long ledgerCpu = ledger.cpuNanos();
      ProducerCeiling.Result ceiling =
          ProducerCeiling.run(ledger.kafkaClient(), CEILING_TOPIC, pool, options.ceilingDuration());
      double ceilingLedgerCpu = (ledger.cpuNanos() - ledgerCpu) / 1e9;
      out.printf(
          "  ceiling: %s ledger-process-cpu-seconds=%.2f (records of %.0f bytes on average)%n",
          ceiling.raw(), ceilingLedgerCpu, avgSize);

      Path logs = ledger.dataDir().resolve("kafka");
      Map<String, Long> logsBefore = KafkaLogBytes.perTopic(logs);
      ledgerCpu = ledger.cpuNanos();
      ThreadCpu.Mark threads = ThreadCpu.mark(ledger.pid());
      double commitsBefore = ledger.scrapeNow(STREAM_COMMITS);
      PipelineRun.Result run =
          PipelineRun.run(ledger, spec(42), options.duration(), options.maxBacklog());
      double runLedgerCpu = (ledger.cpuNanos() - ledgerCpu) / 1e9;
      // Which threads the CPU went to: the JIT compiler's share says whether the warm-up was long
      // enough, and the rest where the next lever is.
      String runThreads = threads.formatSince(0.02);
      out.printf("  ledger cores by thread during the run: %s%n", runThreads);
      double commits = ledger.scrapeNow(STREAM_COMMITS) - commitsBefore;
      Map<String, Long> grown = KafkaLogBytes.growth(logsBefore, KafkaLogBytes.perTopic(logs));
      long rssEnd = rss.sample();
      // One read of the peak: the sampler goes on, and its total and parts must be one sample's.
      ProcStat.Resident rssPeak = rss.maxWithParts();
      out.printf(
          "  pipeline: %s ledger-process-cpu-seconds=%.2f streams-commits=%.0f%n",
          run.raw(), runLedgerCpu, commits);
      // VmRSS counts the pages of mapped files (Lucene's segments) the process touched: say how
      // much of the largest sample they were.
      out.printf(
          "  ledger RSS max %s: anonymous %s, mapped files and shared %s%n",
          Format.mb(rssPeak.total()), Format.mb(rssPeak.anonymous()), Format.mb(rssPeak.files()));

      String p = partitions + " partition" + (partitions == 1 ? "" : "s");
      double ratio = run.eventsPerSecond() / ceiling.recordsPerSecond();
      String target = ">= " + Format.ratio(TARGET_RATIO) + " of the ceiling (goal 0.25x)";
      section.row(
          new Row(
              "pipeline, " + p + ": producers to visible in the index (whole ledger, own JVM)",
              Format.count(run.eventsPerSecond())
                  + " events/s"
                  + (run.complete() ? "" : " (INCOMPLETE)"),
              Format.count(ceiling.recordsPerSecond()) + " records/s (Kafka producer ceiling)",
              Format.ratio(ratio),
              target,
              Row.atLeast(ratio, TARGET_RATIO)));
      double perCpu = run.visible() / runLedgerCpu;
      double ceilingPerCpu = ceiling.records() / ceilingLedgerCpu;
      section.row(
          new Row(
              "the same per CPU-second of the ledger process (" + p + ")",
              Format.count(perCpu) + " events/CPU-s",
              Format.count(ceilingPerCpu) + " records/CPU-s (broker's CPU)",
              Format.ratio(perCpu / ceilingPerCpu),
              target,
              Row.atLeast(perCpu / ceilingPerCpu, TARGET_RATIO)));
      long amplified =
          grown.entrySet().stream()
              .filter(e -> !NOT_AMPLIFICATION.contains(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      double eventBytes = (double) run.bytes() / Math.max(1, run.events());
      double bytesRatio = amplified / (double) Math.max(1, run.events()) / eventBytes;
      section.row(
          new Row(
              "Kafka log bytes per event, every topic but ledger.events, over the event's encoded size ("
                  + p
                  + ")",
              Format.ratio(bytesRatio)
                  + " ("
                  + Format.count(amplified / (double) Math.max(1, run.events()))
                  + " B per "
                  + Format.count(eventBytes)
                  + "-byte event)",
              null,
              null,
              "<= " + Format.ratio(TARGET_BYTES_RATIO),
              Row.atMost(bytesRatio, TARGET_BYTES_RATIO, "x")));
      section.row(
          new Row(
              "memory: RSS of the ledger process, max under load / at the end (" + p + ")",
              Format.mb(rssPeak.total()) + " / " + Format.mb(rssEnd),
              null,
              null,
              "< 1 GB",
              Row.atMost(rssPeak.total() / (1024.0 * 1024.0), TARGET_RSS_MB, "MB")));
      section.raw(
          String.format(
              Locale.ROOT,
              "partitions=%d ceiling: %s avg-record-bytes=%.0f"
                  + " ledger-process-cpu-seconds=%.2f",
              partitions,
              ceiling.raw(),
              avgSize,
              ceilingLedgerCpu));
      section.raw(
          String.format(
              Locale.ROOT,
              "partitions=%d pipeline: %s ledger-process-cpu-seconds=%.2f"
                  + " per-ledger-cpu-second=%.0f streams-commits=%.0f",
              partitions,
              run.raw(),
              runLedgerCpu,
              perCpu,
              commits));
      section.raw(
          String.format(
              Locale.ROOT,
              "partitions=%d ledger cores by thread, warm-up: %s; run: %s",
              partitions,
              warmingThreads,
              runThreads));
      section.raw(
          String.format(
              Locale.ROOT,
              "partitions=%d kafka log growth during the pipeline run (bytes): %s",
              partitions,
              grown));
      section.raw(
          String.format(Locale.ROOT, "partitions=%d ledger %s", partitions, ledger.describe()));
      section.raw(
          String.format(
              Locale.ROOT,
              "partitions=%d ledger rss-max=%d rss-end=%d; at the max: anonymous=%d"
                  + " mapped-files-and-shared=%d",
              partitions,
              rssPeak.total(),
              rssEnd,
              rssPeak.anonymous(),
              rssPeak.files()));

      ClosedLoop.Result http = null;
      if (compared) {
        long benchCpu = Cpu.processNanos();
        ledgerCpu = ledger.cpuNanos();
        http =
            HttpIngest.run(
                ledger.api(),
                options.httpClients(),
                options.httpBatch(),
                min(Duration.ofSeconds(2), options.httpDuration()),
                options.httpDuration(),
                spec(43));
        out.printf("  http ingest: %s%n", http.raw());
        section.raw(
            String.format(
                Locale.ROOT,
                "partitions=%d http ingest (calls are requests of %d events): %s"
                    + " ledger-process-cpu-seconds=%.2f bench-cpu-seconds=%.2f",
                partitions,
                options.httpBatch(),
                http.raw(),
                (ledger.cpuNanos() - ledgerCpu) / 1e9,
                (Cpu.processNanos() - benchCpu) / 1e9));
      }
      footprint(ledger, partitions, run.events() + warmup.events(), section);
      return new LedgerSide(partitions, run.eventsPerSecond(), http);
    }
  }

  private void footprint(
      LedgerProcess ledger, int partitions, long events, Section.Builder section) {
    long kafka =
        KafkaLogBytes.perTopic(ledger.dataDir().resolve("kafka")).entrySet().stream()
            .filter(e -> !e.getKey().equals(CEILING_TOPIC))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long streams = ledger.diskBytes("streams");
    long index = ledger.diskBytes("index");
    double perMillion = 1e6 / Math.max(1, events);
    section.row(
        new Row(
            String.format(
                Locale.ROOT,
                "disk per million events (%d partitions): Kafka record logs / streams state / index",
                partitions),
            Format.mb(kafka * perMillion)
                + " / "
                + Format.mb(streams * perMillion)
                + " / "
                + Format.mb(index * perMillion),
            null,
            null,
            null,
            null));
    section.raw(
        String.format(
            Locale.ROOT,
            "partitions=%d events=%d kafka-bytes=%d streams-bytes=%d index-bytes=%d",
            partitions,
            events,
            kafka,
            streams,
            index));
  }

  private static void createCeilingTopic(KafkaClientSettings kafka, int partitions)
      throws Exception {
    try (Admin admin = Admin.create(kafka.config())) {
      admin.createTopics(List.of(new NewTopic(CEILING_TOPIC, partitions, (short) 1))).all().get();
    }
  }

  /** The PostgreSQL rates of one run, events per second. */
  private record PgIngest(
      double derivedSingle,
      double derivedBatch,
      double rawSingle,
      double rawBatch,
      double derivedSingleP99) {}

  /** A warm-up no longer than the run it warms (the smoke test runs for a fraction of a second). */
  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void runPostgres(Section.Builder section, LedgerSide side) throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      try (Connection c = pg.connect()) {
        BaselineSchema.createAll(c);
      }
      Duration warmup = min(Duration.ofSeconds(3), options.postgresDuration());
      double[] rates = new double[4];
      double singleP99 = 0;
      int i = 0;
      for (BaselineIngest.Mode mode :
          List.of(BaselineIngest.Mode.DERIVED, BaselineIngest.Mode.RAW)) {
        ClosedLoop.Result single =
            BaselineIngest.run(
                pg, mode, PG_CLIENTS, 1, warmup, options.postgresDuration(), spec(10 + i));
        ClosedLoop.Result batched =
            BaselineIngest.run(
                pg, mode, 1, PG_BATCH, warmup, options.postgresDuration(), spec(11 + i));
        out.printf(
            "  postgres %s, one event per transaction, %d clients: %s%n",
            mode.label(), PG_CLIENTS, single.raw());
        out.printf(
            "  postgres %s, %d-event transactions, 1 client: %s%n",
            mode.label(), PG_BATCH, batched.raw());
        section.raw(
            "postgres "
                + mode.label()
                + ", one event per transaction, "
                + PG_CLIENTS
                + " clients: "
                + single.raw());
        section.raw(
            "postgres "
                + mode.label()
                + ", "
                + PG_BATCH
                + "-event transactions, 1 client (calls are"
                + " transactions): "
                + batched.raw());
        rates[i] = single.callsPerSecond();
        rates[i + 1] = batched.callsPerSecond() * PG_BATCH;
        if (mode == BaselineIngest.Mode.DERIVED) {
          singleP99 = single.latency().p99();
        }
        i += 2;
      }
      try (Connection c = pg.connect()) {
        section.raw(
            "postgres database after ingest: " + PostgresServer.databaseBytes(c) + " bytes");
      }
      ingestRows(section, side, new PgIngest(rates[0], rates[1], rates[2], rates[3], singleP99));
      section.note(
          "PostgreSQL baseline: "
              + pg.settingsSummary()
              + ". The fair rows write what the queries need, as"
              + " an ingest service would, into tables with every index in place: per event the raw event, the token row"
              + " (root, parent, depth and ancestors looked up from the parent row) or the revocation's recursive"
              + " cascade, the audit row with the chain's actors, and one audit_actor row per actor, one statement per"
              + " event, sent as JDBC batches within each transaction. The raw-events-only rows store only the event"
              + " (jsonb plus filter columns) and are not comparable with the ledger, which also derives and indexes."
              + " Kafka's broker does not fsync each write (it relies on the OS page cache, and on replication in a real"
              + " cluster); PostgreSQL fsyncs every commit. Both are closed loop (each client's next transaction when the"
              + " previous one committed).");
    }
  }

  private void ingestRows(Section.Builder section, LedgerSide side, PgIngest pg) {
    String ledger =
        Format.count(side.eventsPerSecond())
            + " events/s (pipeline, "
            + side.partitions()
            + " partitions, derived and indexed)";
    if (pg != null) {
      section.row(
          new Row(
              "ingest, derived rows: PostgreSQL one event per transaction, "
                  + PG_CLIENTS
                  + " clients",
              ledger,
              Format.count(pg.derivedSingle())
                  + " events/s (p99 "
                  + Format.ms(pg.derivedSingleP99())
                  + " ms)",
              Format.ratio(side.eventsPerSecond() / pg.derivedSingle()),
              BEAT_POSTGRES,
              Row.atLeast(side.eventsPerSecond(), pg.derivedSingle())));
      section.row(
          new Row(
              "ingest, derived rows: PostgreSQL " + PG_BATCH + "-event transactions, 1 client",
              ledger,
              Format.count(pg.derivedBatch()) + " events/s",
              Format.ratio(side.eventsPerSecond() / pg.derivedBatch()),
              BEAT_POSTGRES,
              Row.atLeast(side.eventsPerSecond(), pg.derivedBatch())));
    }
    if (side.http() != null) {
      double httpRate = side.http().callsPerSecond() * options.httpBatch();
      section.row(
          new Row(
              "ingest over HTTP: POST /v1/events, "
                  + options.httpClients()
                  + " clients x "
                  + options.httpBatch()
                  + " events per request, until accepted (closed loop; p50 / p99 per request)",
              Format.count(httpRate)
                  + " events/s ("
                  + Format.ms(side.http().latency().p50())
                  + " / "
                  + Format.ms(side.http().latency().p99())
                  + " ms"
                  + (side.http().errors() == 0 ? "" : ", " + side.http().errors() + " errors")
                  + ")",
              pg == null
                  ? null
                  : Format.count(pg.derivedBatch())
                      + " events/s (PostgreSQL derived rows, "
                      + PG_BATCH
                      + "-event transactions)",
              pg == null ? null : Format.ratio(httpRate / pg.derivedBatch()),
              null,
              null));
    }
    if (pg != null) {
      section.row(
          new Row(
              "ingest, raw events only (no derived rows; not comparable): PostgreSQL one event per"
                  + " transaction, "
                  + PG_CLIENTS
                  + " clients",
              ledger,
              Format.count(pg.rawSingle()) + " events/s",
              Format.ratio(side.eventsPerSecond() / pg.rawSingle()),
              null,
              null));
      section.row(
          new Row(
              "ingest, raw events only (no derived rows; not comparable): PostgreSQL "
                  + PG_BATCH
                  + "-event transactions, 1 client",
              ledger,
              Format.count(pg.rawBatch()) + " events/s",
              Format.ratio(side.eventsPerSecond() / pg.rawBatch()),
              null,
              null));
    }
  }
}

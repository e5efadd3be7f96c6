package dev.ledger.bench;

import dev.ledger.bench.cluster.ClusterFailover;
import dev.ledger.bench.cluster.ClusterSection;
import dev.ledger.bench.cluster.FailoverReport;
import dev.ledger.bench.fault.CampaignReport;
import dev.ledger.bench.fault.CampaignSection;
import dev.ledger.bench.fault.FaultCampaign;
import dev.ledger.bench.floor.FloorBench;
import dev.ledger.bench.floor.FloorShape;
import dev.ledger.bench.fuzz.FuzzReport;
import dev.ledger.bench.fuzz.FuzzRun;
import dev.ledger.bench.fuzz.FuzzSection;
import dev.ledger.bench.harness.ReportWriter;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.micro.MicroBench;
import dev.ledger.bench.pipeline.PipelineBench;
import dev.ledger.bench.query.QueryBench;
import dev.ledger.bench.query.QueryDataset;
import dev.ledger.bench.revocation.RevocationBench;
import dev.ledger.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ledger bench}: runs the benchmark suite, prints each result table and rewrites its section
 * of BENCHMARKS.md, naming the code commit it ran at. Every size has a flag.
 */
@Command(
    name = "ledger bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Benchmarks the ledger beside what a user would run instead (Kafka's producer ceiling, PostgreSQL),"
            + " in the same run on the same machine. Prints a table and updates BENCHMARKS.md.",
    subcommands = {
      Bench.All.class,
      Bench.Pipeline.class,
      Bench.Revocation.class,
      Bench.Queries.class,
      Bench.Micro.class,
      Bench.Floor.class,
      Bench.Fuzz.class,
      Bench.FaultCampaignCommand.class,
      Bench.ClusterCommand.class
    })
public final class Bench implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Fractional seconds, so that the smoke test can run each measurement for a fraction of one. */
  static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** Refuses a negative value of {@code option} with a usage message, not a stack trace. */
  static void notNegative(Common common, String option, double value) {
    if (value < 0) {
      throw new CommandLine.ParameterException(
          common.mixee.commandLine(), option + " must be 0 or more, was " + value);
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for the launcher and for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every benchmark shares. */
  static final class Common {
    @Option(
        names = "--report",
        description = "Markdown report to update (default: ${DEFAULT-VALUE})",
        defaultValue = "BENCHMARKS.md")
    Path report;

    @Option(names = "--no-report", description = "Only print; leave the report alone")
    boolean noReport;

    @Option(names = "--no-postgres", description = "Skip the PostgreSQL baseline")
    boolean noPostgres;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description =
            "Configuration of the ledger under test (a"
                + " `ledger config` key), e.g. --set streams.commit.interval=100ms; repeatable")
    Map<String, String> settings = new LinkedHashMap<>();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** Prints the section and writes it to the report. */
    int publish(Section section) throws Exception {
      Bench.publish(section, report, noReport);
      return 0;
    }

    String command() {
      List<String> args = mixee.commandLine().getParseResult().originalArgs();
      return "./ledger bench " + String.join(" ", args);
    }
  }

  /** Options of the commands that write a section of RELIABILITY.md. */
  static final class ReliabilityReport {
    @Option(
        names = "--report",
        description = "Markdown report to update (default: ${DEFAULT-VALUE})",
        defaultValue = "RELIABILITY.md")
    Path report;

    @Option(names = "--no-report", description = "Only print; leave the report alone")
    boolean noReport;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** The command line as given, for the section's "how to rerun". */
    String command() {
      return "./ledger bench "
          + String.join(" ", mixee.commandLine().getParseResult().originalArgs());
    }

    /** Prints the section and writes it to the report. */
    void publish(Section section) throws Exception {
      Bench.publish(section, report, noReport);
    }
  }

  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description =
          "Ingest and pipeline throughput of the"
              + " ledger in its own JVM beside Kafka's producer ceiling and PostgreSQL ingest; per CPU-second, RSS, Kafka bytes"
              + " per event, HTTP ingest, disk per million events.")
  static final class Pipeline implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--partitions",
        split = ",",
        defaultValue = "1,6,12",
        description = "Partition counts (default: ${DEFAULT-VALUE})")
    List<Integer> partitions;

    @Option(
        names = "--duration",
        defaultValue = "60",
        description = "Seconds the producers send (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(
        names = "--ceiling-duration",
        defaultValue = "20",
        description = "Seconds of the producer ceiling (default: ${DEFAULT-VALUE})")
    int ceilingDuration;

    @Option(
        names = "--tenants",
        defaultValue = "1",
        description = "Tenants in the workload (default: ${DEFAULT-VALUE})")
    int tenants;

    @Option(
        names = "--max-backlog",
        defaultValue = "50000",
        description = "Events the index may lag behind the producer (default: ${DEFAULT-VALUE})")
    long maxBacklog;

    @Option(
        names = "--warmup-seconds",
        defaultValue = "120",
        description =
            "Seconds of events sent and awaited before measuring, for the JIT to compile the hot paths of broker, streams and index: after one minute its compiler still took a fifth of the ledger's CPU (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(
        names = "--pg-duration",
        defaultValue = "20",
        description =
            "Seconds per PostgreSQL ingest mode, after a warm-up of as long up to 3 s (default:"
                + " ${DEFAULT-VALUE})")
    double pgDuration;

    @Option(
        names = "--http-clients",
        defaultValue = "8",
        description = "Concurrent clients of POST /v1/events (default: ${DEFAULT-VALUE})")
    int httpClients;

    @Option(
        names = "--http-batch",
        defaultValue = "100",
        description = "Events per POST /v1/events (default: ${DEFAULT-VALUE})")
    int httpBatch;

    @Option(
        names = "--http-duration",
        defaultValue = "20",
        description =
            "Seconds the HTTP clients post, after a warm-up of as long up to 2 s (default:"
                + " ${DEFAULT-VALUE})")
    double httpDuration;

    @Override
    public Integer call() throws Exception {
      notNegative(common, "--warmup-seconds", warmupSeconds);
      PipelineBench.Options o =
          new PipelineBench.Options(
              partitions,
              Duration.ofSeconds(duration),
              Duration.ofSeconds(ceilingDuration),
              tenants,
              maxBacklog,
              !common.noPostgres,
              seconds(pgDuration),
              common.settings,
              seconds(warmupSeconds),
              httpClients,
              httpBatch,
              seconds(httpDuration));
      return common.publish(new PipelineBench(o, System.out).run(common.command()));
    }
  }

  @Command(
      name = "revocation",
      mixinStandardHelpOptions = true,
      description =
          "Revocation propagation for chains and"
              + " trees under background load, the ledger in its own JVM, beside PostgreSQL's recursive UPDATE with NOTIFY"
              + " under the same load.")
  static final class Revocation implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--depths",
        split = ",",
        defaultValue = "1,10,30",
        description = "Chain depths (default: ${DEFAULT-VALUE})")
    List<Integer> depths;

    @Option(
        names = "--trees",
        split = ",",
        defaultValue = "1000,10000,100000",
        description = "Tree sizes in descendants (default: ${DEFAULT-VALUE})")
    List<Integer> trees;

    @Option(
        names = "--chain-reps",
        defaultValue = "20",
        description = "Revocations per chain depth (default: ${DEFAULT-VALUE})")
    int chainReps;

    @Option(
        names = "--tree-reps",
        defaultValue = "5",
        description =
            "Revocations of 10,000-descendant trees; other sizes scale by sqrt (default: ${DEFAULT-VALUE})")
    int treeReps;

    @Option(
        names = "--background",
        defaultValue = "500",
        description = "Background events per second (default: ${DEFAULT-VALUE})")
    int background;

    @Option(
        names = "--partitions",
        defaultValue = "6",
        description = "Partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(
        names = "--warmup-chains",
        defaultValue = "20",
        description =
            "Unrecorded revocations of chains of depth 10 first (default: ${DEFAULT-VALUE})")
    int warmupChains;

    @Option(
        names = "--warmup-trees",
        defaultValue = "3",
        description =
            "Unrecorded revocations of trees of 1,000 descendants first (default: ${DEFAULT-VALUE})")
    int warmupTrees;

    @Option(
        names = "--warmup-seconds",
        defaultValue = "120",
        description =
            "Seconds of background load alone before the warm-up revocations, so that the ledger's"
                + " JIT compilation is done before anything is timed (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Override
    public Integer call() throws Exception {
      notNegative(common, "--warmup-seconds", warmupSeconds);
      RevocationBench.Options o =
          new RevocationBench.Options(
              RevocationBench.shapes(depths, trees, chainReps, treeReps),
              RevocationBench.warmUp(warmupChains, warmupTrees),
              Duration.ofSeconds(warmupSeconds),
              background,
              partitions,
              !common.noPostgres,
              common.settings);
      return common.publish(new RevocationBench(o, System.out).run(common.command()));
    }
  }

  @Command(
      name = "queries",
      mixinStandardHelpOptions = true,
      description =
          "Query latency, closed loop and open loop,"
              + " on the same audit trail in the ledger's index and in PostgreSQL (each question's access path, with its plan).")
  static final class Queries implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--records",
        defaultValue = "1000000",
        description = "Audit records (default: ${DEFAULT-VALUE}; the target is set at 10000000)")
    long records;

    @Option(
        names = "--tenants",
        defaultValue = "1",
        description = "Tenants (default: ${DEFAULT-VALUE})")
    int tenants;

    @Option(
        names = "--big-tree",
        defaultValue = "10000",
        description = "Descendants of the large tree (default: ${DEFAULT-VALUE})")
    int bigTree;

    @Option(
        names = "--hot-records",
        defaultValue = "100000",
        description = "Records of the hot agent (default: ${DEFAULT-VALUE})")
    long hotRecords;

    @Option(
        names = "--clients",
        defaultValue = "4",
        description = "Concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
        names = "--warmup",
        defaultValue = "3",
        description = "Warm-up seconds per query (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
        names = "--duration",
        defaultValue = "10",
        description = "Measured seconds per query and loop (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(
        names = "--rate",
        defaultValue = "50",
        description =
            "Requests per second of the open-loop rows, latency"
                + " counted from when each request was due (default: ${DEFAULT-VALUE})")
    double rate;

    @Override
    public Integer call() throws Exception {
      QueryBench.Options o =
          new QueryBench.Options(
              new QueryDataset(records, tenants, bigTree, hotRecords),
              clients,
              Duration.ofSeconds(warmup),
              seconds(duration),
              !common.noPostgres,
              rate);
      return common.publish(new QueryBench(o, System.out).run(common.command()));
    }
  }

  @Command(
      name = "micro",
      mixinStandardHelpOptions = true,
      description = "JMH micro-benchmarks of validation, JSON" + " mapping and Avro serdes.")
  static final class Micro implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--forks",
        defaultValue = "1",
        description = "JMH forks (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(
        names = "--iterations",
        defaultValue = "5",
        description = "Measured iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(
        names = "--iteration-time",
        defaultValue = "2",
        description = "Seconds per iteration (default: ${DEFAULT-VALUE})")
    int iterationTime;

    @Override
    public Integer call() throws Exception {
      return common.publish(
          new MicroBench(new MicroBench.Options(forks, iterations, iterationTime), System.out)
              .run(common.command()));
    }
  }

  @Command(
      name = "floor",
      mixinStandardHelpOptions = true,
      description =
          "The stack's floor: Kafka's producer ceiling, then Kafka Streams exactly-once doing nothing but"
              + " move events (copied, repartitioned, stored) on a broker configured as the ledger's, each in its own"
              + " JVM; events per CPU-second against the same ceiling, the ratio the pipeline's target is set in.")
  static final class Floor implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--partitions",
        defaultValue = "6",
        description = "Partitions per topic (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(
        names = "--events",
        defaultValue = "1000000",
        description = "Events sent per measured shape (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
        names = "--warmup-events",
        defaultValue = "1500000",
        description =
            "Events sent and awaited first per shape, unmeasured: after 200,000 the JIT compiler"
                + " still took 0.6 of 2 cores while measuring (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(
        names = "--ceiling-duration",
        defaultValue = "10",
        description = "Seconds the ceiling producer sends (default: ${DEFAULT-VALUE})")
    double ceilingSeconds;

    @Option(
        names = "--shapes",
        split = ",",
        defaultValue = "PASS_THROUGH,REPARTITIONED,STORED,INDEXED",
        description =
            "Shapes to measure, in order: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<FloorShape> shapes;

    @Override
    public Integer call() throws Exception {
      if (!common.settings.isEmpty()) {
        throw new CommandLine.ParameterException(
            common.mixee.commandLine(),
            "the floor runs the ledger's default streams settings and no ledger; --set does not apply");
      }
      if (partitions < 1 || events < 1) {
        throw new CommandLine.ParameterException(
            common.mixee.commandLine(), "--partitions and --events must be at least 1");
      }
      notNegative(common, "--warmup-events", warmup);
      notNegative(common, "--ceiling-duration", ceilingSeconds);
      return common.publish(
          new FloorBench(
                  new FloorBench.Options(
                      partitions, events, warmup, seconds(ceilingSeconds), shapes),
                  System.out)
              .run(common.command()));
    }
  }

  @Command(
      name = "fuzz",
      mixinStandardHelpOptions = true,
      description =
          "Seeded hostile inputs over POST /v1/events,"
              + " every GET route and raw records on ledger.events against a ledger on an embedded broker; fails on any 5xx,"
              + " any record neither audited nor in ledger.dlq with a reason, a stuck partition, or a tenant no longer"
              + " processed. Writes its section of RELIABILITY.md.")
  static final class Fuzz implements Callable<Integer> {
    @Option(
        names = "--inputs",
        defaultValue = "100000",
        description = "Inputs in all (default: ${DEFAULT-VALUE})")
    long inputs;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed: the same seed makes the same inputs (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--clients",
        defaultValue = "4",
        description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
        names = "--partitions",
        defaultValue = "3",
        description = "Partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Mixin ReliabilityReport reliability;

    @Override
    public Integer call() throws Exception {
      FuzzReport result;
      Map<String, String> settings = FuzzRun.ledgerSettings();
      try (BenchLedger ledger =
          BenchLedger.start(
              BenchLedger.Options.defaults().partitions(partitions).settings(settings))) {
        result =
            new FuzzRun(
                    new FuzzRun.Options(
                        inputs,
                        seed,
                        clients,
                        Duration.ofMinutes(3),
                        StreamsSettings.DEFAULT_APPLICATION_ID),
                    System.out)
                .run(ledger);
      }
      Section section =
          FuzzSection.of(
              result,
              reliability.command(),
              Map.of(
                  "inputs",
                  Long.toString(inputs),
                  "partitions",
                  Integer.toString(partitions),
                  "ledger",
                  settings.toString()));
      reliability.publish(section);
      return result.passed() ? 0 : 1;
    }
  }

  @Command(
      name = "fault-campaign",
      mixinStandardHelpOptions = true,
      description =
          "kill -9 of a child-JVM ledger up"
              + " at random points of a replay, restarted on the same data each time; then every event must have exactly one"
              + " audit record on ledger.audit, in the index and in the notary's log, every revocation notice must be there"
              + " once, and every export must verify. Writes its section of RELIABILITY.md.")
  static final class FaultCampaignCommand implements Callable<Integer> {
    @Option(
        names = "--events",
        defaultValue = "1000000",
        description = "Events to replay (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
        names = {"--faults", "--kills"},
        defaultValue = "20",
        description =
            "Faults at random points: kill -9s, broker restarts with --fault restart_broker,"
                + " or stream-thread crashes with --fault crash_stream_thread (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(
        names = "--partitions",
        defaultValue = "3",
        description = "Partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed of the workload and the kill points (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--fault",
        defaultValue = "kill_ledger",
        description =
            "What happens at each fault point:"
                + " ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    FaultCampaign.Fault fault;

    @Option(
        names = "--dir",
        description =
            "Where the ledger's data and logs go (default: a new temporary directory, kept)")
    Path dir;

    @Mixin ReliabilityReport reliability;

    @Override
    public Integer call() throws Exception {
      Path work =
          dir != null ? dir : java.nio.file.Files.createTempDirectory("ledger-fault-campaign-");
      System.out.println("fault-campaign: data and logs in " + work);
      CampaignReport result;
      try {
        result =
            new FaultCampaign(
                    new FaultCampaign.Options(
                        events, kills, partitions, 3, seed, Duration.ofMinutes(30), fault),
                    System.out)
                .run(work);
      } catch (dev.ledger.bench.fault.SmallFilesystem.Refused e) {
        System.err.println("fault-campaign: " + e.getMessage());
        return 2;
      }
      Section section =
          CampaignSection.of(
              result,
              reliability.command(),
              Map.of(
                  "events",
                  Long.toString(events),
                  "faults",
                  Integer.toString(kills),
                  "partitions",
                  Integer.toString(partitions),
                  "fault",
                  fault.name().toLowerCase(java.util.Locale.ROOT)));
      reliability.publish(section);
      return result.passed() ? 0 : 1;
    }
  }

  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description =
          "Three brokers in this JVM, one or two ledger streams and two ledger api JVMs; a workload"
              + " with revocations posted over HTTP split between the API instances; kill -9 of a"
              + " streams instance, then one broker stopped, then a second (every post must be"
              + " answered 503), both restarted. Then every event must have exactly one audit record,"
              + " every revocation reach every descendant once, both API instances index and export"
              + " everything once and answer the same, and every export verify. Writes its section of"
              + " RELIABILITY.md.")
  static final class ClusterCommand implements Callable<Integer> {
    @Option(
        names = "--events",
        defaultValue = "100000",
        description = "Events to post (default: ${DEFAULT-VALUE})")
    int events;

    @Option(
        names = "--rate",
        defaultValue = "500",
        description = "Events posted per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
        names = "--streams",
        defaultValue = "2",
        description =
            "ledger streams instances, 1 or 2; with 2 one is killed a third of the way in"
                + " (default: ${DEFAULT-VALUE})")
    int streams;

    @Option(
        names = "--dir",
        description = "Where the data and logs go (default: a new temporary directory, kept)")
    Path dir;

    @Mixin ReliabilityReport reliability;

    @Override
    public Integer call() throws Exception {
      if (streams < 1 || streams > 2) {
        System.err.println("cluster: --streams is 1 or 2, not " + streams);
        return 2;
      }
      double load =
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      Path work = dir != null ? dir : java.nio.file.Files.createTempDirectory("ledger-cluster-");
      System.out.println("cluster: data and logs in " + work);
      ClusterFailover.Options options =
          ClusterFailover.Options.small().sized(events, rate, streams);
      FailoverReport result = new ClusterFailover(options, System.out).run(work);
      System.out.print(result.toText());
      Map<String, String> sizes = new LinkedHashMap<>();
      sizes.put("events", String.format("%,d", events));
      sizes.put("rate", rate + "/s");
      sizes.put("streams instances", Integer.toString(streams));
      sizes.put("API instances", "2");
      sizes.put("partitions", Integer.toString(options.partitions()));
      reliability.publish(ClusterSection.of(result, reliability.command(), sizes, load));
      return result.passed() ? 0 : 1;
    }
  }

  @Command(
      name = "all",
      mixinStandardHelpOptions = true,
      description =
          "Every benchmark at its default sizes, and"
              + " the queries at each size of --query-records, so every generated section of the report is rerun at the"
              + " same commit (about an hour on 2 cores, most of it loading 10 million records twice).")
  static final class All implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--query-records",
        split = ",",
        defaultValue = "1000000,10000000",
        description =
            "Audit records"
                + " of each queries run; each size has its own section (default: ${DEFAULT-VALUE})")
    List<Long> queryRecords;

    /** Each run's arguments: a benchmark name and its own options. */
    List<List<String>> runs() {
      List<List<String>> runs = new java.util.ArrayList<>();
      runs.add(List.of("micro"));
      runs.add(List.of("revocation"));
      queryRecords.forEach(n -> runs.add(List.of("queries", "--records", Long.toString(n))));
      runs.add(List.of("pipeline"));
      runs.add(List.of("floor"));
      return runs;
    }

    @Override
    public Integer call() {
      List<String> shared = common.noPostgres ? List.of("--no-postgres") : List.of();
      int failed = 0;
      for (List<String> bench : runs()) {
        List<String> args = new java.util.ArrayList<>(bench);
        args.addAll(List.of("--report", common.report.toString()));
        args.addAll(shared);
        if (common.noReport) {
          args.add("--no-report");
        }
        if (!bench.get(0).equals("floor")) { // the floor runs no ledger to configure
          common.settings.forEach((k, v) -> args.add("--set=" + k + "=" + v));
        }
        System.out.println("== ledger bench " + String.join(" ", args));
        int code = commandLine().execute(args.toArray(String[]::new));
        failed += code == 0 ? 0 : 1;
      }
      return failed == 0 ? 0 : 1;
    }
  }

  /**
   * Prints a result section and, unless {@code noReport}, writes it to {@code report}: every
   * command's last step.
   */
  static void publish(Section section, Path report, boolean noReport) throws Exception {
    System.out.println();
    System.out.print(section.toText());
    if (!noReport) {
      new ReportWriter(report).write(section);
      System.out.println("  (written to " + report.toAbsolutePath() + ")");
    }
  }
}

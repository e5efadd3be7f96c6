package dev.ledger.bench.revocation;

import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.Latency;
import dev.ledger.bench.harness.Paced;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.harness.ThreadCpu;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.ledger.LedgerProcess;
import dev.ledger.bench.ledger.LedgerUnderTest;
import dev.ledger.bench.ledger.StreamsLag;
import dev.ledger.bench.pipeline.BackgroundLoad;
import dev.ledger.bench.postgres.BaselineIngest;
import dev.ledger.bench.postgres.BaselineRevocation;
import dev.ledger.bench.postgres.BaselineSchema;
import dev.ledger.bench.postgres.PostgresServer;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.schemas.Topics;
import dev.ledger.workload.WorkloadSpec;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Revocation propagation: chains and trees are issued through the pipeline, then their roots are
 * revoked one at a time while background traffic flows; each sample is the time from the
 * revocation's acknowledgement by Kafka to the arrival, at a read_committed consumer of {@code
 * ledger.revocations}, of the last notice of the tree. PostgreSQL's recursive UPDATE of the same
 * shapes with NOTIFY is timed beside it, under the same background load, until a LISTENing
 * connection has every id (and until commit).
 */
public final class RevocationBench {

  /**
   * Sizes.
   *
   * @param shapes each shape with how many times it is revoked (fresh trees each time)
   * @param warmUp shapes revoked first and not recorded, the same way
   * @param warmUpLoad how long the background load runs alone before anything else: a fresh
   *     ledger's JIT compiler takes most of a core for its first minute or two under load, and a
   *     latency measured then says more about the compiler than about the ledger
   * @param backgroundRate events per second of background traffic while measuring
   * @param partitions partitions of every ledger topic
   * @param postgres whether to run the baseline
   * @param ledgerSettings further configuration of the ledger under test
   */
  public record Options(
      Map<TreeShape, Integer> shapes,
      Map<TreeShape, Integer> warmUp,
      Duration warmUpLoad,
      int backgroundRate,
      int partitions,
      boolean postgres,
      Map<String, String> ledgerSettings) {}

  /** Index lag (records) under which the ledger counts as settled after an issuance. */
  static final double SETTLED_LAG = 1_000;

  /**
   * The stream processor's lag (records, every input and internal topic) under which it counts as
   * settled after an issuance: about a second of the default background load.
   */
  static final long SETTLED_STREAMS_LAG = 500;

  private final Options options;
  private final PrintStream out;

  public RevocationBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * Default shapes: chains of depth 1, 10, 30 and trees of the given sizes, with repetitions by
   * size.
   */
  public static Map<TreeShape, Integer> shapes(
      List<Integer> depths, List<Integer> treeSizes, int chainReps, int treeRepsAt10k) {
    Map<TreeShape, Integer> shapes = new LinkedHashMap<>();
    depths.forEach(d -> shapes.put(TreeShape.chain(d), chainReps));
    for (int size : treeSizes) {
      // Fewer repetitions for bigger trees, so every size costs about the same time.
      int reps = (int) Math.round(treeRepsAt10k * Math.sqrt(10_000.0 / size));
      shapes.put(TreeShape.tree(size), Math.max(1, Math.min(4 * treeRepsAt10k, reps)));
    }
    return shapes;
  }

  public Section run(String command) throws Exception {
    Section.Builder section =
        Section.builder("revocation", "Revocation propagation: p50 / p99 / max")
            .command(command)
            .size("partitions", options.partitions())
            .size("background load", options.backgroundRate() + " events/s");
    section.size("streams commit interval", BenchLedger.commitInterval(options.ledgerSettings()));
    options.ledgerSettings().forEach(section::size);
    options.shapes().forEach((s, reps) -> section.size(s.name(), reps + " revocations"));
    Map<TreeShape, Latency> ledger = runLedger(section);
    Map<TreeShape, BaselineRevocation.Result> baseline = new LinkedHashMap<>();
    if (!options.postgres()) {
      section.note("PostgreSQL baseline skipped (--no-postgres).");
    } else if (PostgresServer.binaries().isEmpty()) {
      section.note(PostgresServer.installHint() + "; baseline skipped.");
    } else {
      baseline = runPostgres(section);
    }
    for (TreeShape shape : options.shapes().keySet()) {
      Latency l = ledger.getOrDefault(shape, NOT_MEASURED);
      BaselineRevocation.Result b = baseline.get(shape);
      double limit = shape.fanout() == 1 ? 100 : shape.descendants() <= 10_000 ? 250 : 2_000;
      String name = shape.name() + " (depth " + shape.depth() + ")";
      section.row(
          new Row(
              name + ", until every notice is received",
              l.count() == 0 ? "no sample" : l.summary() + " (n=" + l.count() + ")",
              b == null ? "" : b.untilNotified().summary() + " until the LISTENer has every id",
              b == null || l.count() == 0
                  ? ""
                  : Format.ratio(b.untilNotified().p99() / l.p99()) + " (p99)",
              "p99 < " + Format.ms(limit) + " ms",
              l.count() == 0 ? "no sample" : Row.atMost(l.p99(), limit, "ms")));
      if (b != null) {
        section.row(
            new Row(
                name + ", PostgreSQL until commit (nobody told yet)",
                null,
                b.untilCommit().summary() + " until commit",
                l.count() == 0 ? "" : Format.ratio(b.untilCommit().p99() / l.p99()) + " (p99)",
                null,
                null));
      }
      section.raw("ledger   " + shape.name() + ": " + l.raw());
      if (b != null) {
        section.raw("postgres " + shape.name() + " until notified: " + b.untilNotified().raw());
        section.raw("postgres " + shape.name() + " until commit: " + b.untilCommit().raw());
      }
    }
    section.note(
        "Ledger: from the producer's acknowledgement of the token.revoked event to the moment a"
            + " read_committed consumer of ledger.revocations (a resource server) has received a notice for every token"
            + " of the tree. Each size's trees are issued first; revocations start once all their tokens are active and"
            + " both the stream processor and the index have caught up (lag under 500 and 1,000 records), one at a"
            + " time, 300 ms apart, after an unrecorded warm-up"
            + " ("
            + warmUpText()
            + "). The ledger runs in a JVM of its own as `./ledger up` starts it"
            + " (the launcher's flags and default heap); the background load and the consumer run in the bench's JVM."
            + " Streams exactly-once with the ledger's default settings (`ledger config` shows them; --set changes them)."
            + " With a handful of samples per size, p99 is close to the maximum. Latency is measured one revocation at a"
            + " time (each waits for the previous), under the background load.");
    if (!baseline.isEmpty()) {
      section.note(
          "PostgreSQL: one recursive UPDATE over the (tenant, parent_id) index that RETURNs the revoked ids"
              + " and sends them with pg_notify ("
              + BaselineRevocation.IDS_PER_NOTIFICATION
              + " ids per notification), delivered"
              + " at commit; the clock runs from the statement's start until a LISTENing JDBC connection (standing for a"
              + " resource server) has received every id. The same background load as the ledger's runs meanwhile: "
              + options.backgroundRate()
              + " generated events/s written one per transaction with their derived rows (tokens,"
              + " audit, audit_actor). The until-commit row is the same runs' time to commit. \"ledger vs baseline\" is"
              + " PostgreSQL's p99 over the ledger's (above 1 the ledger is faster).");
    }
    return section.build();
  }

  /**
   * Unrecorded revocations first, since a freshly started JVM runs its first seconds interpreted:
   * {@code chains} chains of depth 10 and {@code trees} trees of 1,000 descendants.
   */
  public static Map<TreeShape, Integer> warmUp(int chains, int trees) {
    Map<TreeShape, Integer> warmUp = new LinkedHashMap<>();
    if (chains > 0) {
      warmUp.put(TreeShape.chain(10), chains);
    }
    if (trees > 0) {
      warmUp.put(TreeShape.tree(1_000), trees);
    }
    return warmUp;
  }

  private String warmUpText() {
    List<String> parts = new ArrayList<>();
    if (!options.warmUpLoad().isZero()) {
      parts.add(options.warmUpLoad().toSeconds() + " s of background load alone");
    }
    options.warmUp().forEach((shape, reps) -> parts.add(reps + " x " + shape.name()));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private Map<TreeShape, Latency> runLedger(Section.Builder section) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    String prefix = "rv-" + run + "-";
    Map<TreeShape, Latency> results = new LinkedHashMap<>();
    // The ledger in a JVM of its own, as `ledger up` runs it: the cascade competes with the
    // background load for
    // the same two cores, not with this bench's producers and consumers for the same heap and GC.
    try (LedgerProcess ledger =
            LedgerProcess.start(options.partitions(), options.ledgerSettings());
        NoticeWatcher watcher = new NoticeWatcher(ledger.kafkaClient(), prefix);
        StreamsLag streamsLag = new StreamsLag(ledger.kafkaClient(), streamsGroup());
        KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(ledger.kafkaClient());
        BackgroundLoad background =
            new BackgroundLoad(
                ledger.kafkaClient(),
                WorkloadSpec.builder().seed(77).trees(Integer.MAX_VALUE).build(),
                options.backgroundRate())) {
      section.raw("ledger " + ledger.describe());
      watcher.awaitAssigned();
      warmUpUnderLoad(ledger);
      Rounds rounds = new Rounds(ledger, streamsLag, watcher, producer);
      out.println("  warm-up (not recorded):");
      int shapeNumber = 0;
      for (Map.Entry<TreeShape, Integer> entry : options.warmUp().entrySet()) {
        rounds.run(entry.getKey(), entry.getValue(), prefix + "w" + shapeNumber++);
      }
      long backgroundBefore = background.sent();
      long started = System.nanoTime();
      ThreadCpu.Mark threads = ThreadCpu.mark(ledger.pid());
      shapeNumber = 0;
      for (Map.Entry<TreeShape, Integer> entry : options.shapes().entrySet()) {
        try {
          results.put(
              entry.getKey(),
              rounds.run(entry.getKey(), entry.getValue(), prefix + "s" + shapeNumber++));
        } catch (NotSettled e) {
          // The sizes measured so far stand; the larger ones would run behind this one's backlog.
          String why = entry.getKey().name() + " and larger: not measured, " + e.getMessage();
          out.println("  " + why);
          section.note(why);
          break;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      // How busy the ledger was while measuring: a latency taken on saturated cores says more about
      // the cores than about the path it measures.
      double cores = threads.processCoresSince();
      String busy =
          String.format(
              Locale.ROOT,
              "background events sent while measuring: %d in %.0f s (%.0f/s); the ledger process used"
                  + " %.2f of the machine's %d cores meanwhile",
              background.sent() - backgroundBefore,
              seconds,
              (background.sent() - backgroundBefore) / seconds,
              cores,
              Runtime.getRuntime().availableProcessors());
      out.println("  " + busy);
      String byThread = "ledger cores by thread meanwhile: " + threads.formatSince(0.02);
      out.println("  " + byThread);
      section.raw(busy);
      section.raw(byThread);
    }
    return results;
  }

  /**
   * Issues trees of one shape, waits until they are active and indexed, then revokes each root and
   * times it.
   */
  private final class Rounds {
    private final LedgerUnderTest ledger;
    private final StreamsLag streamsLag;
    private final NoticeWatcher watcher;
    private final KafkaProducer<byte[], byte[]> producer;
    private final EventEncoder encoder = new EventEncoder();

    Rounds(
        LedgerUnderTest ledger,
        StreamsLag streamsLag,
        NoticeWatcher watcher,
        KafkaProducer<byte[], byte[]> producer) {
      this.ledger = ledger;
      this.streamsLag = streamsLag;
      this.watcher = watcher;
      this.producer = producer;
    }

    Latency run(TreeShape shape, int reps, String treePrefix) throws Exception {
      List<String> trees = new ArrayList<>();
      for (int r = 0; r < reps; r++) {
        trees.add(treePrefix + "r" + r);
      }
      long t0 = System.nanoTime();
      for (String tree : trees) {
        for (String json :
            shape.issueEvents(tree, Instant.now().minusMillis(shape.tokens() + 60_000L))) {
          send(producer, encoder.encode(json));
        }
      }
      producer.flush();
      Duration issueTimeout = Duration.ofSeconds(120 + shape.tokens() * reps / 500);
      for (String tree : trees) {
        await(
            () -> watcher.active(tree) >= shape.tokens(),
            issueTimeout,
            () ->
                "tree "
                    + tree
                    + " has "
                    + watcher.active(tree)
                    + " of "
                    + shape.tokens()
                    + " tokens active");
      }
      // The index trails streams by the whole issuance; revoking while it catches up would measure
      // two cores shared with that backlog, not revocation under the steady background load.
      await(
          () -> ledger.indexLag() < SETTLED_LAG,
          issueTimeout,
          () -> "the index is still " + ledger.indexLag() + " records behind");
      // The stream processor too: the background events sent during the issuance queue behind it
      // in ledger.events, and a revocation sent then waits behind them, which is a backlog's
      // latency, not the cascade's.
      await(
          () -> {
            long lag = streamsLag.records();
            return lag >= 0 && lag < SETTLED_STREAMS_LAG;
          },
          issueTimeout,
          () -> "the stream processor is still " + streamsLag.records() + " records behind");
      out.printf(
          "  %s: %d trees issued, active and indexed in %.1f s%n",
          shape.name(), reps, (System.nanoTime() - t0) / 1e9);
      Histogram h = Latency.histogram();
      for (String tree : trees) {
        Thread.sleep(300); // let the previous cascade's output drain, so samples do not overlap
        long lagBefore = streamsLag.records();
        CompletableFuture<Long> acked = new CompletableFuture<>();
        long[] ackWallMillis = new long[1];
        EncodedEvent revoke = encoder.encode(TreeShape.revokeRoot(tree, Instant.now()));
        producer.send(
            new ProducerRecord<>(Topics.EVENTS.name(), revoke.key(), revoke.value()),
            (md, ex) -> {
              if (ex != null) {
                acked.completeExceptionally(ex);
              } else {
                ackWallMillis[0] = System.currentTimeMillis();
                acked.complete(System.nanoTime());
              }
            });
        long ackNanos = acked.get(30, TimeUnit.SECONDS);
        await(
            () -> watcher.noticed(tree) >= shape.tokens(),
            Duration.ofSeconds(120),
            () ->
                "tree "
                    + tree
                    + ": "
                    + watcher.noticed(tree)
                    + " of "
                    + shape.tokens()
                    + " notices");
        long latency = watcher.lastNoticeNanos(tree) - ackNanos;
        h.recordValue(Math.max(0, latency));
        // Where the time went: until the stream thread wrote the last notice (its notified_at, the
        // same machine's clock), then until its transaction committed and the consumer had it.
        out.printf(
            "    %s revoked: last notice after %.1f ms (written at +%d ms, first received at +%.1f"
                + " ms; stream processor %d records behind before)%n",
            tree,
            latency / 1e6,
            watcher.lastNotifiedAtMillis(tree) - ackWallMillis[0],
            (watcher.firstNoticeNanos(tree) - ackNanos) / 1e6,
            lagBefore);
      }
      return Latency.of(h);
    }
  }

  /**
   * Lets the background load run alone for {@link Options#warmUpLoad()}, printing every 30 s how
   * many cores the ledger used meanwhile.
   */
  private void warmUpUnderLoad(LedgerProcess ledger) throws InterruptedException {
    long total = options.warmUpLoad().toMillis();
    if (total <= 0) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "  warm-up: %d s of background load alone (the ledger's JIT compiles most in its first"
            + " minutes)%n",
        total / 1000);
    long step = 30_000;
    for (long done = 0; done < total; ) {
      long pause = Math.min(step, total - done);
      ThreadCpu.Mark threads = ThreadCpu.mark(ledger.pid());
      Thread.sleep(pause);
      done += pause;
      out.printf(
          Locale.ROOT,
          "    %d of %d s: the ledger process used %.2f cores (%s)%n",
          done / 1000,
          total / 1000,
          threads.processCoresSince(),
          threads.formatSince(0.05));
    }
  }

  /** The ledger under test's stream processor group: its application id, as --set may change it. */
  private String streamsGroup() {
    ConfigKey id = ConfigKey.STREAMS_APPLICATION_ID;
    return options.ledgerSettings().getOrDefault(id.key(), id.defaultValue());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, EncodedEvent e) {
    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.key(), e.value()));
  }

  private interface Condition {
    boolean holds();
  }

  /** A size whose trees the ledger did not issue, or revoke, within the benchmark's time. */
  private static final class NotSettled extends IllegalStateException {
    NotSettled(String message) {
      super(message);
    }
  }

  /** The latency of a size that was not measured: no sample. */
  private static final Latency NOT_MEASURED = new Latency(0, 0, 0, 0, 0);

  private static void await(
      Condition condition, Duration timeout, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new NotSettled("timed out after " + timeout.toSeconds() + " s: " + what.get());
      }
      // Not every millisecond: a condition may read the ledger's GET /metrics, which costs it CPU.
      Thread.sleep(20);
    }
  }

  private Map<TreeShape, BaselineRevocation.Result> runPostgres(Section.Builder section)
      throws Exception {
    Map<TreeShape, BaselineRevocation.Result> results = new LinkedHashMap<>();
    try (PostgresServer pg = PostgresServer.start();
        Connection c = pg.connect();
        Connection listener = pg.connect()) {
      BaselineSchema.createAll(c);
      WorkloadSpec load = WorkloadSpec.builder().seed(77).trees(Integer.MAX_VALUE).build();
      try (Paced background =
          new Paced(
              "pg-background",
              options.backgroundRate(),
              BaselineIngest.client(pg, BaselineIngest.Mode.DERIVED, 1, load, 0))) {
        long started = System.nanoTime();
        long before = background.calls();
        int shapeNumber = 0;
        for (Map.Entry<TreeShape, Integer> entry : options.shapes().entrySet()) {
          String prefix = "pg-s" + shapeNumber++ + "r";
          BaselineRevocation.load(c, entry.getKey(), prefix, entry.getValue());
          section.raw("postgres plan of the cascade, " + entry.getKey().name() + " (rolled back):");
          BaselineRevocation.explain(c, prefix).forEach(line -> section.raw("    " + line));
          BaselineRevocation.Result r =
              BaselineRevocation.revokeEach(c, listener, entry.getKey(), prefix, entry.getValue());
          out.printf(
              "  postgres %s: notified %s, committed %s%n",
              entry.getKey().name(), r.untilNotified().raw(), r.untilCommit().raw());
          results.put(entry.getKey(), r);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        section.raw(
            String.format(
                Locale.ROOT,
                "postgres background events written: %d in %.0f s (%.0f/s), errors %s",
                background.calls() - before,
                seconds,
                (background.calls() - before) / seconds,
                background.errors()));
      }
      section.note("Baseline: " + pg.settingsSummary() + ".");
    }
    return results;
  }
}

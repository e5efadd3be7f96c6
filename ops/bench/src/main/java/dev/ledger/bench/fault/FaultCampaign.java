package dev.ledger.bench.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.bench.ledger.LedgerProcess;
import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.schemas.Topics;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The kill campaign: replays generated events onto {@code ledger.events} of a {@code ledger up} in
 * a JVM of its own while killing it with {@code kill -9} at random points and restarting it on the
 * same data directory and ports, then checks that every event has exactly one audit record on
 * {@code ledger.audit}, in the index and in the notary's log, that every revocation notice is there
 * once, and that every tenant's export verifies.
 *
 * <pre>{@code
 * CampaignReport r = new FaultCampaign(FaultCampaign.Options.of(5_000, 2), System.out).run(workDir);
 * }</pre>
 */
public final class FaultCampaign {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 2_000;

  /** How often the campaign asks how far the ledger has processed. */
  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * How long a restarted ledger may take to process again before the campaign fails: longer than
   * Kafka's 5-minute rebalance timeout, so that a restart stuck in one is reported with its time,
   * not as an error.
   */
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);

  /**
   * The stream processor's consumer group: the ledger's default {@code streams.application.id},
   * which the campaign does not change.
   */
  private static final String STREAMS_GROUP = StreamsSettings.DEFAULT_APPLICATION_ID;

  /**
   * @param events events to replay
   * @param kills {@code kill -9}s, at random points of the replay
   * @param partitions partitions of every topic
   * @param tenants tenants of the workload
   * @param seed the workload's and the kill points' seed
   * @param settleTimeout how long the ledger may take after the replay to show every record
   * @param fault what happens at each fault point
   */
  public record Options(
      long events,
      int kills,
      int partitions,
      int tenants,
      long seed,
      Duration settleTimeout,
      Fault fault) {
    public static Options of(long events, int kills) {
      return new Options(events, kills, 3, 3, 1, Duration.ofMinutes(10), Fault.KILL_LEDGER);
    }
  }

  /** What happens at each fault point. */
  public enum Fault {
    /**
     * {@code kill -9} of {@code ledger up} with its embedded broker, then a restart on the same
     * data.
     */
    KILL_LEDGER,
    /**
     * The ledger runs on an external broker (in the campaign's JVM); the broker stops (a clean
     * shutdown) and starts again on the same log directory and port while the ledger keeps running.
     */
    RESTART_BROKER,
    /**
     * A stream thread of the running ledger throws at a seeded event (the test-only setting {@code
     * streams.test.crash.after.records}); Kafka Streams replaces it and, under exactly-once, the
     * aborted transaction is processed again. The ledger's log must show each crash.
     */
    CRASH_STREAM_THREAD,
    /**
     * The embedded broker's log directory ({@code data/kafka}) on a small tmpfs fills up under the
     * replay; the broker halts {@code ledger up} by design; the filesystem grows and the ledger
     * starts again on the same data. Root only (a mount).
     */
    KAFKA_DISK_FULL
  }

  /** The tmpfs the Kafka disk-full campaign starts with (as in the run by hand, 2026-12-05). */
  static final int DISK_FULL_MB = 40;

  /** What it grows to once the broker has halted. */
  static final int DISK_GROWN_MB = 4096;

  /** The exception message {@code InjectedCrash} throws with, as the ledger's log shows it. */
  private static final java.util.regex.Pattern INJECTED_CRASH =
      java.util.regex.Pattern.compile("injected stream-thread crash at event (\\d+)");

  private final Options options;
  private final PrintStream out;

  public FaultCampaign(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * The workload: trees enough for {@link Options#events()} events, from now on so tokens are live.
   */
  private WorkloadSpec spec() {
    // A tree of depth 3 and fan-out 2 has 15 tokens and 30 uses, plus a revocation now and then.
    int trees = (int) Math.max(1, (options.events() + 44) / 45);
    return WorkloadSpec.builder()
        .seed(options.seed())
        .trees(trees)
        .tenants(options.tenants())
        .revocationShare(0.1)
        .start(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .build();
  }

  /** Runs the campaign with its data under {@code dir} (kept, for a look after a failure). */
  public CampaignReport run(Path dir) throws Exception {
    long started = System.nanoTime();
    if (options.fault() == Fault.KAFKA_DISK_FULL) {
      return runDiskFull(dir.toAbsolutePath(), started);
    }
    FaultSchedule schedule =
        FaultSchedule.seeded(
            options.events(), options.kills(), new SplittableRandom(options.seed()));
    int kafkaPort = freePort();
    int httpPort = freePort();
    while (httpPort == kafkaPort) { // two probes may hand out the same port
      httpPort = freePort();
    }
    boolean brokerFaults = options.fault() == Fault.RESTART_BROKER;
    boolean crashFaults = options.fault() == Fault.CRASH_STREAM_THREAD;
    int planned = schedule.planned();
    Path brokerDir = dir.resolve("broker");
    EmbeddedKafka[] broker = {brokerFaults ? EmbeddedKafka.start(brokerDir, kafkaPort) : null};
    Map<String, String> settings =
        brokerFaults
            ? Map.of("kafka.bootstrap.servers", broker[0].bootstrapServers())
            : crashFaults
                ? Map.of(
                    "streams.test.crash.after.records",
                    String.join(
                        ",", schedule.remaining().stream().map(n -> Long.toString(n + 1)).toList()))
                : Map.of();
    LedgerProcess.Launch launch =
        new LedgerProcess.Launch(
            options.partitions(), settings, dir, brokerFaults ? 0 : kafkaPort, httpPort);
    ExpectedOutcome expected = new ExpectedOutcome();
    List<Double> restarts = new ArrayList<>();
    List<CampaignReport.FaultPoint> points = new ArrayList<>();
    long resent = 0;
    LedgerProcess ledger = LedgerProcess.start(launch);
    ProcessedEvents processed = new ProcessedEvents(ledger.kafkaClient(), STREAMS_GROUP);
    try {
      KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(ledger.kafkaClient());
      EventEncoder encoder = new EventEncoder();
      List<EncodedEvent> chunk = new ArrayList<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      long n = 0;
      long polled = 0;
      for (String line : WorkloadGenerator.events(spec())) {
        if (n == options.events()) {
          break;
        }
        expected.add(line);
        EncodedEvent e = encoder.encode(line);
        chunk.add(e);
        sent.add(send(producer, e));
        n++;
        if (!crashFaults && schedule.hasNext() && System.nanoTime() - polled > POLL.toNanos()) {
          polled = System.nanoTime();
          long done = processed.getAsLong();
          if (schedule.due(done)) {
            ledger = fault(schedule, done, n, started, launch, ledger, broker, restarts, points);
            processed.close();
            processed = new ProcessedEvents(ledger.kafkaClient(), STREAMS_GROUP);
          }
        }
        if (chunk.size() == CHUNK) {
          ConfirmResult c = confirm(producer, ledger, chunk, sent);
          producer = c.producer();
          resent += c.resent();
          chunk.clear();
          sent.clear();
        }
      }
      ConfirmResult c = confirm(producer, ledger, chunk, sent);
      resent += c.resent();
      c.producer().close();
      // The producer is far ahead of the ledger: the remaining faults fall while it works through
      // the backlog, each once it has processed up to its point.
      while (!crashFaults && schedule.hasNext()) {
        long done = schedule.awaitDue(processed, options.settleTimeout(), POLL);
        ledger = fault(schedule, done, n, started, launch, ledger, broker, restarts, points);
        processed.close();
        processed = new ProcessedEvents(ledger.kafkaClient(), STREAMS_GROUP);
      }
      out.printf(
          "fault-campaign: %,d events acknowledged (%,d sent again), %d %s; waiting for every record%n",
          n,
          resent,
          crashFaults ? planned : restarts.size(),
          crashFaults ? "stream-thread crash points" : "faults");
      CampaignReport report =
          check(ledger, expected, n, resent, restarts, points, planned, started);
      if (crashFaults) {
        report = report.withKills(injectedCrashes(dir));
        out.printf(
            "fault-campaign: %d stream-thread crashes in the ledger's log%n", report.kills());
      }
      return report;
    } finally {
      processed.close();
      ledger.close();
      if (broker[0] != null) {
        broker[0].close();
      }
    }
  }

  /**
   * The Kafka disk-full campaign: replays onto a ledger whose {@code data/kafka} is a {@value
   * #DISK_FULL_MB} MB tmpfs until the broker, out of space, halts the process; then gives the
   * filesystem {@value #DISK_GROWN_MB} MB, starts the ledger again on the same data, sends again
   * what was not acknowledged and the rest of the replay, and runs the same checks: every event,
   * the acknowledged ones first of all, audited exactly once.
   *
   * @throws SmallFilesystem.Refused where mounting is not allowed
   */
  private CampaignReport runDiskFull(Path dir, long started) throws Exception {
    int kafkaPort = freePort();
    int httpPort = freePort();
    while (httpPort == kafkaPort) {
      httpPort = freePort();
    }
    LedgerProcess.Launch launch =
        new LedgerProcess.Launch(options.partitions(), Map.of(), dir, kafkaPort, httpPort);
    ExpectedOutcome expected = new ExpectedOutcome();
    List<Double> restarts = new ArrayList<>();
    List<CampaignReport.FaultPoint> points = new ArrayList<>();
    Path kafkaDir = dir.resolve("data").resolve("kafka");
    try (SmallFilesystem disk = SmallFilesystem.mount(kafkaDir, DISK_FULL_MB)) {
      LedgerProcess ledger = LedgerProcess.start(launch);
      try {
        java.util.Iterator<String> lines = WorkloadGenerator.events(spec()).iterator();
        EventEncoder encoder = new EventEncoder();
        List<EncodedEvent> unacknowledged = new ArrayList<>();
        long n = 0;
        long acknowledged = 0;
        long processed = 0;
        KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(ledger.kafkaClient());
        try (ProcessedEvents progress = new ProcessedEvents(ledger.kafkaClient(), STREAMS_GROUP)) {
          while (n < options.events() && lines.hasNext() && unacknowledged.isEmpty()) {
            List<EncodedEvent> chunk = new ArrayList<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            while (chunk.size() < CHUNK && n < options.events() && lines.hasNext()) {
              String line = lines.next();
              expected.add(line);
              EncodedEvent e = encoder.encode(line);
              chunk.add(e);
              sent.add(send(producer, e));
              n++;
            }
            // Until every send is answered, or the broker has halted the process.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (ledger.alive()
                && System.nanoTime() < deadline
                && !sent.stream().allMatch(Future::isDone)) {
              Thread.sleep(50);
            }
            if (!ledger.alive()) {
              producer.close(Duration.ZERO); // fails what is still waiting for the dead broker
            }
            for (int i = 0; i < chunk.size(); i++) {
              if (sent.get(i).state() == Future.State.SUCCESS) {
                acknowledged++;
              } else {
                unacknowledged.add(chunk.get(i));
              }
            }
            if (ledger.alive()) {
              processed = progress.getAsLong();
            }
          }
          // A refused send means the broker is failing: it halts the process within moments. With
          // everything acknowledged, the stream processor's writes may still fill the disk.
          long halt = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          while (ledger.alive()
              && System.nanoTime() < halt
              && (!unacknowledged.isEmpty() || processed < n)) {
            Thread.sleep(500);
            if (ledger.alive()) {
              processed = progress.getAsLong();
            }
          }
        }
        boolean halted = !ledger.alive();
        producer.close(Duration.ZERO);
        out.printf(
            "fault-campaign: %s after %,d events sent, %,d acknowledged (%,d processed at the last"
                + " reading)%n",
            halted ? "the broker halted ledger up" : "the ledger did not halt",
            n,
            acknowledged,
            processed);
        points.add(
            new CampaignReport.FaultPoint(
                acknowledged, processed, n, (System.nanoTime() - started) / 1e9));
        ledger.kill(); // already gone when halted; otherwise it is the fault
        disk.grow(DISK_GROWN_MB);
        long t0 = System.nanoTime();
        ledger = LedgerProcess.start(launch);
        restarts.add((System.nanoTime() - t0) / 1e9);
        out.printf(
            "fault-campaign: restarted with %d MB in %.1f s%n", DISK_GROWN_MB, restarts.getLast());
        producer = ProducerSettings.producer(ledger.kafkaClient());
        List<Future<RecordMetadata>> again = new ArrayList<>();
        for (EncodedEvent e : unacknowledged) {
          again.add(send(producer, e));
        }
        ConfirmResult c = confirm(producer, ledger, unacknowledged, again);
        producer = c.producer();
        long resent = unacknowledged.size() + c.resent();
        List<EncodedEvent> chunk = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        while (n < options.events() && lines.hasNext()) {
          String line = lines.next();
          expected.add(line);
          EncodedEvent e = encoder.encode(line);
          chunk.add(e);
          sent.add(send(producer, e));
          n++;
          if (chunk.size() == CHUNK) {
            c = confirm(producer, ledger, chunk, sent);
            producer = c.producer();
            resent += c.resent();
            chunk.clear();
            sent.clear();
          }
        }
        c = confirm(producer, ledger, chunk, sent);
        resent += c.resent();
        c.producer().close();
        out.printf(
            "fault-campaign: %,d events acknowledged (%,d sent again); waiting for every record%n",
            n, resent);
        return check(ledger, expected, n, resent, restarts, points, 1, started)
            .withKills(halted ? 1 : 0);
      } finally {
        ledger.close();
      }
    }
  }

  /**
   * The fault of the next point of {@code schedule}, now due ({@code processed} events processed,
   * {@code sent} sent): a broker restart under the running ledger, or a {@code kill -9} of the
   * ledger and its start on the same data. Returns the ledger running afterwards.
   */
  private LedgerProcess fault(
      FaultSchedule schedule,
      long processed,
      long sent,
      long started,
      LedgerProcess.Launch launch,
      LedgerProcess ledger,
      EmbeddedKafka[] broker,
      List<Double> restarts,
      List<CampaignReport.FaultPoint> points) {
    long point = schedule.take();
    long t0 = System.nanoTime();
    if (broker[0] != null) {
      broker[0].close();
      broker[0] = EmbeddedKafka.start(broker[0].logDir().getParent(), broker[0].port());
    } else {
      ledger.kill();
      ledger = LedgerProcess.start(launch);
    }
    // Until it processes again, not until the HTTP server answers: a stream processor stuck in a
    // rebalance for minutes after a restart looked "ready" in 30 s (2026-12-06).
    ledger.awaitUp(UP_TIMEOUT);
    restarts.add((System.nanoTime() - t0) / 1e9);
    points.add(new CampaignReport.FaultPoint(point, processed, sent, (t0 - started) / 1e9));
    out.printf(
        "fault-campaign: %s %d of %d at %,d events processed (point %,d; %,d sent) after %.0f s;"
            + " restarted in %.1f s%n",
        broker[0] != null ? "broker restart" : "kill",
        restarts.size(),
        schedule.planned(),
        processed,
        point,
        sent,
        (t0 - started) / 1e9,
        restarts.getLast());
    return ledger;
  }

  /**
   * The distinct injected crashes the ledger's logs under {@code dir} show (each thread that threw
   * was replaced, or the ledger would not have processed every event).
   */
  private static int injectedCrashes(Path dir) throws IOException {
    Set<String> crashes = new HashSet<>();
    try (var logs = java.nio.file.Files.list(dir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        var m = INJECTED_CRASH.matcher(java.nio.file.Files.readString(log));
        while (m.find()) {
          crashes.add(m.group(1));
        }
      }
    }
    return crashes.size();
  }

  private static Future<RecordMetadata> send(
      KafkaProducer<byte[], byte[]> producer, EncodedEvent e) {
    return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.key(), e.value()));
  }

  private record ConfirmResult(KafkaProducer<byte[], byte[]> producer, long resent) {}

  /**
   * Waits for every send of {@code chunk}; what failed (its broker was killed mid-request) is sent
   * again with a new producer until Kafka acknowledges it. The stream processor drops a copy by its
   * event id, so a send that did reach the log before the kill and is sent again changes nothing.
   */
  private ConfirmResult confirm(
      KafkaProducer<byte[], byte[]> producer,
      LedgerProcess ledger,
      List<EncodedEvent> chunk,
      List<Future<RecordMetadata>> sent)
      throws InterruptedException {
    long resent = 0;
    List<EncodedEvent> failed = failures(chunk, sent);
    for (int attempt = 0; !failed.isEmpty(); attempt++) {
      if (attempt == 10) {
        throw new IllegalStateException(
            failed.size() + " events were not acknowledged after 10 attempts");
      }
      producer.close(Duration.ZERO);
      producer = ProducerSettings.producer(ledger.kafkaClient());
      resent += failed.size();
      List<Future<RecordMetadata>> again = new ArrayList<>();
      for (EncodedEvent e : failed) {
        again.add(send(producer, e));
      }
      failed = failures(failed, again);
    }
    return new ConfirmResult(producer, resent);
  }

  private static List<EncodedEvent> failures(
      List<EncodedEvent> events, List<Future<RecordMetadata>> sent) throws InterruptedException {
    List<EncodedEvent> failed = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        sent.get(i).get(3, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        failed.add(events.get(i));
      }
    }
    return failed;
  }

  private CampaignReport check(
      LedgerProcess ledger,
      ExpectedOutcome expected,
      long events,
      long resent,
      List<Double> restarts,
      List<CampaignReport.FaultPoint> points,
      int planned,
      long started)
      throws Exception {
    long deadline = System.nanoTime() + options.settleTimeout().toNanos();
    Counts topic =
        ApiReadback.settle(
            deadline,
            () ->
                ExpectedOutcome.count(
                    expected.events(), ExpectedOutcome.auditRecords(ledger.kafkaClient())));
    out.printf("fault-campaign: ledger.audit %s%n", topic);
    Counts index =
        ApiReadback.settle(
            deadline,
            () ->
                ExpectedOutcome.count(
                    expected.events(), ApiReadback.indexed(ledger.api(), expected.tenants())));
    out.printf("fault-campaign: index %s%n", index);
    List<String> problems = new ArrayList<>();
    Counts notary =
        ApiReadback.settle(
            deadline,
            () -> {
              problems.clear();
              return ExpectedOutcome.count(
                  expected.events(),
                  ApiReadback.exported(
                      ledger.api(),
                      ledger.dataDir().resolve(NotaryKey.PUBLIC_PEM_FILE),
                      expected.tenants(),
                      problems));
            });
    out.printf("fault-campaign: notary %s%n", notary);
    Map<String, Integer> notices = ExpectedOutcome.notices(ledger.kafkaClient());
    Set<String> revoked = expected.revokedTokens();
    long missing = revoked.stream().filter(t -> !notices.containsKey(t)).count();
    long duplicated = notices.values().stream().filter(v -> v > 1).count();
    return new CampaignReport(
        options.fault(),
        options.seed(),
        events,
        resent,
        planned,
        restarts.size(),
        restarts,
        List.copyOf(points),
        topic,
        index,
        notary,
        revoked.size(),
        missing,
        duplicated,
        expected.tenants().size()
            - (int) problems.stream().map(p -> p.substring(0, p.indexOf(':'))).distinct().count(),
        List.copyOf(problems),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

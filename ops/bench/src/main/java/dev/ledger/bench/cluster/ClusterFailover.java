package dev.ledger.bench.cluster;

import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.fault.ExpectedOutcome;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.bench.ledger.RoleProcess;
import dev.ledger.broker.LocalCluster;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Failover of the stream processor on a cluster: three brokers ({@link LocalCluster}, in this JVM),
 * two {@code ledger streams} instances in JVMs of their own, a paced generated workload with
 * revocations written to {@code ledger.events}, a {@code kill -9} of one instance a third of the
 * way in and, if asked, one broker stopped later ({@link Options#stopBrokerAt()}). It measures the
 * failover gap (for each revocation posted between the kill and the survivor's catch-up, the time
 * until its notice) and the catch-up (from the kill until every event posted before it has its
 * audit record), then checks that every event has exactly one audit record and every revoked token
 * exactly one notice.
 *
 * <pre>{@code
 * FailoverReport r = new ClusterFailover(ClusterFailover.Options.small(), System.out).run(dir);
 * }</pre>
 */
public final class ClusterFailover {

  private static final String APPLICATION_ID = "ledger-streams";
  private static final long POLL_MILLIS = 100;

  /** Events posted first, unpaced, and awaited before the measured load starts. */
  private static final int WARMUP_EVENTS = 200;

  /**
   * How long the instances may take to process the warm-up events (they start slowly on a busy
   * machine).
   */
  private static final Duration WARMUP_TIMEOUT = Duration.ofMinutes(3);

  /**
   * @param events events to post
   * @param perSecond posting rate
   * @param partitions partitions of every topic
   * @param killAt share of the events posted before the kill
   * @param sessionTimeout {@code streams.session.timeout} of both instances
   * @param standby whether the instances keep standby replicas ({@code streams.instances=2}) or not
   *     ({@code streams.instances=1}: the same two processes, no warm copy)
   * @param settleTimeout how long the survivor may take after the load to show every record
   * @param seed the workload's seed
   * @param stopBrokerAt share of the events posted before one broker of three stops (a clean
   *     shutdown in this JVM) for the rest of the run; 0 for none
   */
  public record Options(
      int events,
      int perSecond,
      int partitions,
      double killAt,
      Duration sessionTimeout,
      boolean standby,
      Duration settleTimeout,
      long seed,
      double stopBrokerAt) {

    /**
     * The CI size: 1,500 events at 100 a second on 4 partitions, the kill a third of the way in,
     * one broker stopped two thirds of the way in (startup dominates: three brokers, two instances
     * opening their stores).
     */
    public static Options small() {
      return new Options(
          1_500, 100, 4, 1.0 / 3, Duration.ofSeconds(10), true, Duration.ofMinutes(2), 7, 0.66);
    }
  }

  private final Options options;
  private final PrintStream out;

  /**
   * Runs it outside the test suite, at another size: {@code DIR [EVENTS [PER_SECOND
   * [SESSION_SECONDS [STANDBY [STOP_BROKER_AT]]]]]}.
   */
  public static void main(String[] args) throws Exception {
    Options o = Options.small();
    Options options =
        new Options(
            args.length > 1 ? Integer.parseInt(args[1]) : o.events(),
            args.length > 2 ? Integer.parseInt(args[2]) : o.perSecond(),
            o.partitions(),
            o.killAt(),
            args.length > 3 ? Duration.ofSeconds(Long.parseLong(args[3])) : o.sessionTimeout(),
            args.length > 4 ? Boolean.parseBoolean(args[4]) : o.standby(),
            o.settleTimeout(),
            o.seed(),
            args.length > 5 ? Double.parseDouble(args[5]) : o.stopBrokerAt());
    FailoverReport r = new ClusterFailover(options, System.out).run(Path.of(args[0]));
    System.out.print(r.toText());
    System.exit(r.passed() ? 0 : 1);
  }

  public ClusterFailover(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  private WorkloadSpec spec() {
    // A tree of depth 3 and fan-out 2 has 15 tokens and 30 uses; a third of the trees revoke one
    // token, so that enough revocations fall into the failover to measure it.
    return WorkloadSpec.builder()
        .seed(options.seed())
        .trees(Math.max(1, (options.events() + 44) / 45))
        .tenants(3)
        .revocationShare(0.35)
        .start(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .build();
  }

  /** Runs it with everything under {@code dir} (kept, for a look after a failure). */
  public FailoverReport run(Path dir) throws Exception {
    long started = System.nanoTime();
    ExpectedOutcome expected = new ExpectedOutcome();
    List<EncodedEvent> events = new ArrayList<>();
    List<String> revokes = new ArrayList<>();
    EventEncoder encoder = new EventEncoder();
    for (String line : WorkloadGenerator.events(spec())) {
      if (events.size() == options.events()) {
        break;
      }
      revokes.add(expected.add(line));
      events.add(encoder.encode(line));
    }
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 3, 0)) {
      KafkaClientSettings kafka = cluster.clientSettings();
      out.printf(
          "cluster-failover: 3 brokers at %s in %.1f s%n",
          kafka.bootstrapServers(), (System.nanoTime() - started) / 1e9);
      TopicAdmin.ensureTopics(kafka, options.partitions(), (short) 3);
      List<RoleProcess> instances = new ArrayList<>();
      try (Admin admin = Admin.create(kafka.config());
          OutputClock clock = new OutputClock(kafka)) {
        for (int i = 1; i <= 2; i++) {
          instances.add(startStreams(dir, kafka, i));
        }
        instances.forEach(RoleProcess::awaitReady);
        awaitStableGroup(admin, 2, Duration.ofMinutes(2));
        out.printf(
            "cluster-failover: 2 streams instances in one group after %.1f s%n",
            (System.nanoTime() - started) / 1e9);
        return load(dir, cluster, kafka, clock, instances, events, revokes, expected, started);
      } finally {
        instances.forEach(RoleProcess::close);
      }
    }
  }

  private RoleProcess startStreams(Path dir, KafkaClientSettings kafka, int n) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("streams.instances", options.standby() ? "2" : "1");
    settings.put("streams.session.timeout", options.sessionTimeout().toMillis() + "ms");
    settings.put("streams.instance.id", "streams-" + n);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--partitions",
            Integer.toString(options.partitions()),
            "--data-dir",
            dir.resolve("streams-" + n).resolve("data").toString()));
    args.addAll(RoleProcess.settings(settings));
    return RoleProcess.start("streams", args, dir.resolve("streams-" + n), "256m");
  }

  private FailoverReport load(
      Path dir,
      LocalCluster cluster,
      KafkaClientSettings kafka,
      OutputClock clock,
      List<RoleProcess> instances,
      List<EncodedEvent> events,
      List<String> revokes,
      ExpectedOutcome expected,
      long started)
      throws Exception {
    Map<String, Long> revokedAt = new HashMap<>();
    int warmup = Math.min(WARMUP_EVENTS, events.size());
    int killIndex = warmup + (int) ((events.size() - warmup) * options.killAt());
    int stopIndex =
        options.stopBrokerAt() > 0
            ? warmup + (int) ((events.size() - warmup) * options.stopBrokerAt())
            : -1;
    Thread brokerStop = null;
    List<String> beforeKill = new ArrayList<>();
    long killedAt = 0;
    long caughtUpAt = 0;
    long loadStart = 0;
    long warmupDeadline = System.nanoTime() + WARMUP_TIMEOUT.toNanos();
    long nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / options.perSecond();
    try (KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(kafka)) {
      for (int i = 0; i < events.size(); i++) {
        if (i == warmup) {
          // Both instances process (their tasks are assigned and restored) before the load starts.
          producer.flush();
          if (!awaitAudited(clock, beforeKill, warmupDeadline)) {
            throw new IllegalStateException(
                "the first " + warmup + " events were not audited within " + WARMUP_TIMEOUT);
          }
          loadStart = System.nanoTime();
          out.printf(
              "cluster-failover: both instances process after %.1f s%n",
              (loadStart - started) / 1e9);
        }
        if (i >= warmup) {
          // Paced: event i goes at its slot, so the kill falls into a steady load.
          long wait = loadStart + (i - warmup) * nanosPerEvent - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        EncodedEvent e = events.get(i);
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.key(), e.value()));
        if (revokes.get(i) != null) {
          revokedAt.putIfAbsent(revokes.get(i), System.nanoTime());
        }
        if (killedAt == 0) {
          beforeKill.add(e.tenant() + "/" + e.eventId());
        }
        if (i == killIndex) {
          producer.flush();
          instances.getFirst().kill();
          killedAt = System.nanoTime();
          out.printf(
              "cluster-failover: kill -9 of streams-1 after %,d events (%.1f s into the load)%n",
              i + 1, (killedAt - loadStart) / 1e9);
        }
        if (i == stopIndex) {
          // Off the pacing thread: a broker's controlled shutdown moves its leaderships first.
          long t = System.nanoTime();
          out.printf(
              "cluster-failover: stopping broker 3 of 3 after %,d events (%.1f s into the load)%n",
              i + 1, (t - loadStart) / 1e9);
          brokerStop = Thread.ofVirtual().start(() -> cluster.stop(2));
        }
        if (killedAt != 0 && caughtUpAt == 0 && clock.audited(beforeKill) == beforeKill.size()) {
          caughtUpAt = System.nanoTime();
        }
      }
      producer.flush();
    }
    if (brokerStop != null) {
      brokerStop.join();
    }
    long loadEnd = System.nanoTime();
    out.printf(
        "cluster-failover: %,d events posted in %.1f s%n",
        events.size() - warmup, (loadEnd - loadStart) / 1e9);
    long deadline = loadEnd + options.settleTimeout().toNanos();
    if (caughtUpAt == 0 && awaitAudited(clock, beforeKill, deadline)) {
      caughtUpAt = System.nanoTime();
    }
    List<String> all = events.stream().map(e -> e.tenant() + "/" + e.eventId()).toList();
    awaitAudited(clock, all, deadline);
    Set<String> revoked = expected.revokedTokens();
    while (clock.noticed(revoked) < revoked.size() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
    }
    long drainedAt = System.nanoTime();
    out.printf(
        "cluster-failover: everything out %.1f s after the load%n", (drainedAt - loadEnd) / 1e9);
    Counts audit = ExpectedOutcome.count(expected.events(), ExpectedOutcome.auditRecords(kafka));
    Counts noticed = ExpectedOutcome.count(revoked, ExpectedOutcome.notices(kafka));
    return FailoverReport.of(
        options,
        events.size(),
        audit,
        noticed,
        revokedAt,
        clock,
        loadStart,
        loadEnd,
        killedAt,
        caughtUpAt,
        drainedAt,
        instances.get(1).alive(),
        Duration.ofNanos(System.nanoTime() - started),
        dir);
  }

  /** Waits until every one of {@code events} has its audit record; false at the deadline. */
  private static boolean awaitAudited(OutputClock clock, List<String> events, long deadline)
      throws InterruptedException {
    while (clock.audited(events) < events.size()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  private static void awaitStableGroup(Admin admin, int members, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "not there yet";
    while (true) {
      try {
        ConsumerGroupDescription g =
            admin
                .describeConsumerGroups(List.of(APPLICATION_ID))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(APPLICATION_ID);
        if (g.groupState() == GroupState.STABLE && g.members().size() == members) {
          return;
        }
        seen = g.groupState() + " with " + g.members().size() + " members";
      } catch (ExecutionException e) {
        // Before the first instance joins, the group does not exist (Kafka 4 says so).
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the streams group is " + seen + " after " + timeout);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}

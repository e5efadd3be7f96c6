package dev.ledger.bench.cluster;

import dev.ledger.bench.fault.CampaignReport.Counts;
import dev.ledger.bench.fault.ExpectedOutcome;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.ledger.RoleProcess;
import dev.ledger.broker.LocalCluster;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.streams.StreamsSettings;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.LoggerFactory;

/**
 * The ledger scaled out on a cluster while parts of it die: three brokers ({@link LocalCluster}, in
 * this JVM), one or two {@code ledger streams} instances and two {@code ledger api} instances (each
 * with its own index and notary), every one in a JVM of its own. A paced generated workload with
 * revocations is posted over {@code POST /v1/events}, each batch split between the two API
 * instances. A third of the way in one streams instance is {@code kill -9}ed (with two); later one
 * broker of three stops ({@link Options#stopBrokerAt()}), and later still a second one, without a
 * controlled shutdown ({@link Options#stopSecondBrokerAt()}): writes then cannot reach {@code
 * min.insync.replicas} and every post must be answered 503, from each API instance, until both
 * brokers are restarted; what was refused is posted again, as a client would, and the ledger
 * catches up without a restart of any of its processes.
 *
 * <p>It measures the failover gap (for each revocation posted between the kill and the survivor's
 * catch-up, the time until its notice), the catch-up (from the kill until every event accepted
 * before it has its audit record) and the throughput (events audited per second), then checks that
 * every event has exactly one audit record, every revoked token exactly one notice, and that both
 * API instances index and export every event once and answer the same ({@link ApiAgreement}).
 *
 * <pre>{@code
 * FailoverReport r = new ClusterFailover(ClusterFailover.Options.small(), System.out).run(dir);
 * }</pre>
 */
public final class ClusterFailover {

  private static final String APPLICATION_ID = StreamsSettings.DEFAULT_APPLICATION_ID;
  private static final long POLL_MILLIS = 100;

  /** Events posted first, at once, and awaited before the measured load starts. */
  private static final int WARMUP_EVENTS = 200;

  /** Most events in one post to one API instance. */
  private static final int MAX_SLICE = 500;

  /** The API instances: two, each its own index, behind one (here: the test's) load balancer. */
  private static final int API_INSTANCES = 2;

  /**
   * How long the instances may take to process the warm-up events (they start slowly on a busy
   * machine).
   */
  private static final Duration WARMUP_TIMEOUT = Duration.ofMinutes(3);

  /**
   * How long two brokers stay down at most when not every API instance has answered 503 yet (which
   * the checks then report).
   */
  private static final Duration MAX_OUTAGE = Duration.ofSeconds(90);

  /**
   * @param events events to post
   * @param perSecond posting rate
   * @param partitions partitions of every topic
   * @param killAt share of the events posted before the kill of one streams instance (with two)
   * @param sessionTimeout {@code streams.session.timeout} of the streams instances
   * @param standby whether the instances keep standby replicas ({@code streams.instances=2}) or not
   *     ({@code streams.instances=1}: the same two processes, no warm copy)
   * @param settleTimeout how long the ledger may take after the load to show every record
   * @param seed the workload's seed
   * @param stopBrokerAt share of the events posted before one broker of three stops (a clean
   *     shutdown in this JVM) for the rest of the run, but for the outage below; 0 for none
   * @param stopSecondBrokerAt share of the events posted before a second broker stops, after the
   *     first and without a controlled shutdown (two of three down: writes are refused), both
   *     restarted once every API instance has answered 503; 0 for none
   * @param streams {@code ledger streams} instances, 1 or 2; with one there is no kill
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
      double stopBrokerAt,
      double stopSecondBrokerAt,
      int streams) {

    public Options {
      if (streams < 1 || streams > 2) {
        throw new IllegalArgumentException("streams instances: 1 or 2, not " + streams);
      }
      if (stopSecondBrokerAt > 0 && (stopBrokerAt <= 0 || stopSecondBrokerAt <= stopBrokerAt)) {
        throw new IllegalArgumentException(
            "a second broker stops after the first: stopBrokerAt "
                + stopBrokerAt
                + ", stopSecondBrokerAt "
                + stopSecondBrokerAt);
      }
    }

    /**
     * The CI size: 1,500 events at 100 a second on 4 partitions, the kill a third of the way in,
     * one broker stopped half way, a second at 75% (startup dominates: three brokers, four ledger
     * JVMs).
     */
    public static Options small() {
      return new Options(
          1_500,
          100,
          4,
          1.0 / 3,
          Duration.ofSeconds(10),
          true,
          Duration.ofMinutes(4),
          7,
          0.5,
          0.75,
          2);
    }

    /**
     * These options with {@code events} events at {@code perSecond} and {@code streams}; the settle
     * timeout grows by a second per 100 events (a backlog on a busy machine).
     */
    public Options sized(int events, int perSecond, int streams) {
      return new Options(
          events,
          perSecond,
          partitions,
          killAt,
          sessionTimeout,
          standby && streams == 2,
          settleTimeout.plusSeconds(events / 100),
          seed,
          stopBrokerAt,
          stopSecondBrokerAt,
          streams);
    }

    /** Whether a second broker stops: the outage beyond the quorum. */
    boolean secondBrokerStops() {
      return stopSecondBrokerAt > 0;
    }

    /** Whether a streams instance is killed: only when another one takes its tasks over. */
    boolean kills() {
      return streams == 2;
    }
  }

  private final Options options;
  private final PrintStream out;

  /**
   * Runs it outside the test suite, at another size: {@code DIR [EVENTS [PER_SECOND
   * [SESSION_SECONDS [STANDBY [STREAMS]]]]]} ({@code ledger bench cluster} is the command).
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
            o.stopBrokerAt(),
            o.stopSecondBrokerAt(),
            args.length > 5 ? Integer.parseInt(args[5]) : o.streams());
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

  /** One event of the workload: its JSON line, {@code tenant/event_id}, what it revokes. */
  private record Event(String line, String id, String revokes) {}

  /**
   * With two brokers of three down every append fails {@code min.insync.replicas}, and the broker
   * logs each one at ERROR: 250,000 lines in 30 s, which cost the loaded machine CPU and bury the
   * run's output. The run counts the refusals itself (503 per post), so that logger is switched off
   * in this JVM, where the brokers run; other broker errors still show.
   */
  private static void quietRefusedAppends() {
    if (LoggerFactory.getLogger("kafka.server.ReplicaManager")
        instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }

  /** Runs it with everything under {@code dir} (kept, for a look after a failure). */
  public FailoverReport run(Path dir) throws Exception {
    long started = System.nanoTime();
    quietRefusedAppends();
    ExpectedOutcome expected = new ExpectedOutcome();
    List<Event> events = new ArrayList<>();
    EventEncoder encoder = new EventEncoder();
    for (String line : WorkloadGenerator.events(spec())) {
      if (events.size() == options.events()) {
        break;
      }
      String revokes = expected.add(line);
      EncodedEvent e = encoder.encode(line);
      events.add(new Event(line, e.tenant() + "/" + e.eventId(), revokes));
    }
    // Broker 2, the second to stop, dies without a controlled shutdown: as after a crash, its
    // leaderships are not handed over first.
    Set<Integer> abrupt = options.secondBrokerStops() ? Set.of(1) : Set.of();
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 3, 0, abrupt)) {
      KafkaClientSettings kafka = cluster.clientSettings();
      out.printf(
          "cluster-failover: 3 brokers at %s in %.1f s%n",
          kafka.bootstrapServers(), (System.nanoTime() - started) / 1e9);
      TopicAdmin.ensureTopics(kafka, options.partitions(), (short) 3);
      List<RoleProcess> instances = new ArrayList<>();
      try (Admin admin = Admin.create(kafka.config());
          OutputClock clock = new OutputClock(kafka);
          ApiInstances apis =
              ApiInstances.start(
                  dir, kafka.bootstrapServers(), options.partitions(), API_INSTANCES)) {
        for (int i = 1; i <= options.streams(); i++) {
          instances.add(startStreams(dir, kafka, i));
        }
        instances.forEach(RoleProcess::awaitReady);
        apis.awaitReady();
        awaitStableGroup(admin, options.streams(), Duration.ofMinutes(2));
        out.printf(
            "cluster-failover: %d streams and %d API instances up after %.1f s%n",
            options.streams(), apis.size(), (System.nanoTime() - started) / 1e9);
        return load(dir, cluster, kafka, clock, instances, apis, events, expected, started);
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

  /** Where the run's faults fall, as indexes into the events. */
  private record Points(int warmup, int kill, int stop, int secondStop) {
    static Points of(Options o, int events) {
      int warmup = Math.min(WARMUP_EVENTS, events);
      int paced = events - warmup;
      return new Points(
          warmup,
          warmup + (int) (paced * o.killAt()),
          o.stopBrokerAt() > 0 ? warmup + (int) (paced * o.stopBrokerAt()) : Integer.MAX_VALUE,
          o.stopSecondBrokerAt() > 0
              ? warmup + (int) (paced * o.stopSecondBrokerAt())
              : Integer.MAX_VALUE);
    }
  }

  /** The brokers' side of the run: which are stopping, down, restarting, and when. */
  private final class Brokers {
    private final LocalCluster cluster;
    private Thread firstStop;
    private Thread secondStop;
    private Thread restart;
    private long outageStarted;
    long restartedAt;

    Brokers(LocalCluster cluster) {
      this.cluster = cluster;
    }

    /** Off the posting thread: a broker's controlled shutdown moves its leaderships first. */
    void stopFirst(String when) {
      out.printf("cluster-failover: stopping broker 3 of 3 %s%n", when);
      firstStop = Thread.ofVirtual().start(() -> cluster.stop(2));
    }

    void stopSecond(String when) throws InterruptedException {
      if (firstStop != null) {
        firstStop.join();
      }
      out.printf(
          "cluster-failover: stopping broker 2 of 3 as well, without a controlled shutdown, %s%n",
          when);
      outageStarted = System.nanoTime();
      secondStop = Thread.ofVirtual().start(() -> cluster.stop(1));
    }

    /** Both at once: each node's start waits for a controller quorum of two. */
    void restartBoth(String why) {
      out.printf(
          "cluster-failover: restarting brokers 2 and 3 after %.1f s down (%s)%n",
          (System.nanoTime() - outageStarted) / 1e9, why);
      restart =
          Thread.ofVirtual()
              .start(
                  () -> {
                    List<Thread> starts =
                        List.of(
                            Thread.ofVirtual().start(() -> cluster.restart(1)),
                            Thread.ofVirtual().start(() -> cluster.restart(2)));
                    for (Thread t : starts) {
                      try {
                        t.join();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                    }
                    restartedAt = System.nanoTime();
                    out.printf(
                        "cluster-failover: brokers 2 and 3 back after %.1f s down%n",
                        (restartedAt - outageStarted) / 1e9);
                  });
    }

    /** The outage's phase now. */
    Posts.Phase phase() {
      if (secondStop == null) {
        return Posts.Phase.LOAD;
      } else if (restart == null) {
        return secondStop.isAlive() ? Posts.Phase.STOPPING : Posts.Phase.DOWN;
      }
      return restart.isAlive() ? Posts.Phase.RESTARTING : Posts.Phase.AFTER;
    }

    boolean outageOver() {
      return secondStop == null || (restart != null && !restart.isAlive());
    }

    /**
     * Restarts both brokers once every API instance has answered 503 with two down, or when the
     * outage has lasted {@link #MAX_OUTAGE}, or when nothing is left to post ({@code idle}).
     */
    void restartWhenDue(Posts.Builder posts, int apis, boolean idle) {
      if (phase() != Posts.Phase.DOWN || restart != null) {
        return;
      }
      Set<Integer> refusing = posts.refusedBy(Posts.Phase.DOWN);
      if (refusing.size() == apis) {
        restartBoth("every API instance answered 503");
      } else if (System.nanoTime() - outageStarted > MAX_OUTAGE.toNanos()) {
        restartBoth("only " + refusing + " answered 503 within " + MAX_OUTAGE);
      } else if (idle) {
        restartBoth("no events left to post; 503 from " + refusing);
      }
    }

    void join() throws InterruptedException {
      for (Thread t : java.util.Arrays.asList(firstStop, secondStop, restart)) {
        if (t != null) {
          t.join();
        }
      }
    }
  }

  private FailoverReport load(
      Path dir,
      LocalCluster cluster,
      KafkaClientSettings kafka,
      OutputClock clock,
      List<RoleProcess> instances,
      ApiInstances apis,
      List<Event> events,
      ExpectedOutcome expected,
      long started)
      throws Exception {
    Map<String, Long> revokedAt = new HashMap<>();
    Points at = Points.of(options, events.size());
    Brokers brokers = new Brokers(cluster);
    SplitPoster poster = new SplitPoster(apis);
    Posts.Builder posts = new Posts.Builder();
    Map<String, Event> byLine = new HashMap<>();
    events.forEach(e -> byLine.put(e.line(), e));
    List<String> beforeKill = new ArrayList<>();
    List<String> refused = new ArrayList<>(); // lines answered 503, posted again
    long warmupDeadline = System.nanoTime() + WARMUP_TIMEOUT.toNanos();
    // The warm-up at once; the instances process it (tasks assigned, stores open) before the load.
    for (SplitPoster.Posted p :
        poster.post(events.subList(0, at.warmup()).stream().map(Event::line).toList())) {
      if (!p.accepted()) {
        throw new IllegalStateException("the warm-up was answered " + p.status() + ": " + p.body());
      }
      p.lines().forEach(l -> beforeKill.add(byLine.get(l).id()));
    }
    if (!awaitAudited(clock, beforeKill, warmupDeadline)) {
      throw new IllegalStateException(
          "the first " + at.warmup() + " events were not audited within " + WARMUP_TIMEOUT);
    }
    long loadStart = System.nanoTime();
    out.printf(
        "cluster-failover: the warm-up processed after %.1f s%n", (loadStart - started) / 1e9);
    long killedAt = 0;
    long caughtUpAt = 0;
    long nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / options.perSecond();
    int next = at.warmup();
    while (next < events.size() || !refused.isEmpty() || !brokers.outageOver()) {
      brokers.restartWhenDue(posts, apis.size(), next == events.size() && refused.isEmpty());
      // Paced: event i is due at its slot; what came due while a post was answered goes next.
      long now = System.nanoTime();
      int due = next;
      while (due < events.size()
          && due - next < MAX_SLICE * apis.size()
          && loadStart + (due - at.warmup()) * nanosPerEvent <= now) {
        due++;
      }
      // What was refused goes again first, as a client retries a 503.
      List<String> batch = new ArrayList<>(refused);
      refused.clear();
      for (int i = next; i < due; i++) {
        batch.add(events.get(i).line());
      }
      if (batch.isEmpty()) {
        long wait =
            next < events.size()
                ? loadStart + (next - at.warmup()) * nanosPerEvent - now
                : TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        TimeUnit.NANOSECONDS.sleep(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
        continue;
      }
      next = due;
      long postedAt = System.nanoTime();
      Posts.Phase phase = brokers.phase();
      for (SplitPoster.Posted p : poster.post(batch)) {
        posts.add(phase, p);
        if (p.accepted()) {
          for (String line : p.lines()) {
            Event e = byLine.get(line);
            if (e.revokes() != null) {
              revokedAt.putIfAbsent(e.revokes(), postedAt);
            }
            if (killedAt == 0) {
              beforeKill.add(e.id());
            }
          }
        } else if (p.status() == 503 || p.status() == 0) {
          refused.addAll(p.lines());
        } // any other answer is counted in posts and fails the run
      }
      String when =
          String.format(
              Locale.ROOT,
              "after %,d events (%.1f s into the load)",
              next,
              (System.nanoTime() - loadStart) / 1e9);
      if (killedAt == 0 && next > at.kill()) {
        killedAt = System.nanoTime();
        if (options.kills()) {
          instances.getFirst().kill();
          out.printf("cluster-failover: kill -9 of streams-1 %s%n", when);
        }
      }
      if (next > at.stop() && brokers.firstStop == null) {
        brokers.stopFirst(when);
      }
      if (next > at.secondStop() && brokers.secondStop == null) {
        brokers.stopSecond(when);
      }
      if (killedAt != 0 && caughtUpAt == 0 && clock.audited(beforeKill) == beforeKill.size()) {
        caughtUpAt = System.nanoTime();
      }
    }
    brokers.join();
    long loadEnd = System.nanoTime();
    out.printf(
        "cluster-failover: %,d events posted and accepted in %.1f s%n",
        events.size() - at.warmup(), (loadEnd - loadStart) / 1e9);
    long deadline = loadEnd + options.settleTimeout().toNanos();
    if (caughtUpAt == 0 && awaitAudited(clock, beforeKill, deadline)) {
      caughtUpAt = System.nanoTime();
    }
    List<String> all = events.stream().map(Event::id).toList();
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
    ApiAgreement agreement = ApiAgreement.check(apis, expected, deadline);
    return FailoverReport.of(
        options,
        events.size(),
        audit,
        noticed,
        revokedAt,
        clock,
        new FailoverReport.Times(
            loadStart,
            loadEnd,
            killedAt,
            caughtUpAt,
            drainedAt,
            brokers.outageStarted,
            brokers.restartedAt),
        FailoverReport.Throughput.of(clock.auditTimes(loadStart), loadStart),
        posts.build(),
        agreement,
        instances.getLast().alive() && apis.allAlive(),
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

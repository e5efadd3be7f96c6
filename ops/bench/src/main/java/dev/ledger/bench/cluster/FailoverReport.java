package dev.ledger.bench.cluster;

import dev.ledger.bench.fault.CampaignReport.Counts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link ClusterFailover} run found.
 *
 * @param options how it ran
 * @param events events posted
 * @param audit audit records on ledger.audit per event (exactly one each when it passed)
 * @param notices notices on ledger.revocations per token a revocation reaches
 * @param beforeKillMillis notice latencies of revocations posted between the start of the paced
 *     load and the kill, sorted
 * @param duringFailoverMillis notice latencies of revocations posted between the kill and the
 *     catch-up (the failover gap), sorted
 * @param longestSilenceMillis the longest time without any notice between the kill and the catch-up
 * @param killAfter when the kill came, from the start of the load
 * @param catchUp from the kill until every event posted before it had its audit record; null if it
 *     never did
 * @param drained from the end of the load until every event had its audit record and every revoked
 *     token its notice
 * @param outage how long two brokers were down, from the second stop until both ran again; null
 *     when no second broker stopped
 * @param throughput events audited per second
 * @param posts what {@code POST /v1/events} answered in each phase of the broker outage
 * @param apis whether the API instances indexed and exported everything once and agree
 * @param survivorAlive whether the surviving streams instance and every API instance still ran at
 *     the end (none was restarted)
 * @param took the whole run
 * @param dir where its data and the instances' logs are
 */
public record FailoverReport(
    ClusterFailover.Options options,
    int events,
    Counts audit,
    Counts notices,
    List<Long> beforeKillMillis,
    List<Long> duringFailoverMillis,
    long longestSilenceMillis,
    Duration killAfter,
    Duration catchUp,
    Duration drained,
    Duration outage,
    Throughput throughput,
    Posts posts,
    ApiAgreement apis,
    boolean survivorAlive,
    Duration took,
    Path dir) {

  /** The stretch over which {@link Throughput#peak()} is measured. */
  static final Duration PEAK_WINDOW = Duration.ofSeconds(10);

  /**
   * Events audited per second on {@code ledger.audit}, as a reader sees them arrive.
   *
   * @param overall from the start of the paced load until the last audit record: the kill, the
   *     broker outage and the backlog included
   * @param peak the most in any {@link #PEAK_WINDOW} of the run, per second: what the pipeline
   *     carries while it works through a backlog
   */
  record Throughput(double overall, double peak) {

    /**
     * @param times arrival times of the audit records since {@code loadStart}, in order
     */
    static Throughput of(List<Long> times, long loadStart) {
      if (times.isEmpty()) {
        return new Throughput(0, 0);
      }
      double overall = times.size() / Math.max(1e-9, (times.getLast() - loadStart) / 1e9);
      long window = PEAK_WINDOW.toNanos();
      int most = 0;
      for (int from = 0, to = 0; to < times.size(); to++) {
        while (times.get(to) - times.get(from) > window) {
          from++;
        }
        most = Math.max(most, to - from + 1);
      }
      return new Throughput(overall, most / (double) PEAK_WINDOW.toSeconds());
    }
  }

  /**
   * When things happened, on {@link System#nanoTime()}; 0 for what did not.
   *
   * @param loadStart the paced load began
   * @param loadEnd every event was accepted
   * @param killedAt a streams instance was killed
   * @param caughtUpAt every event accepted before the kill had its audit record
   * @param drainedAt every event had its audit record and every revoked token its notice
   * @param outageStarted the second broker began to stop
   * @param restartedAt both brokers ran again
   */
  record Times(
      long loadStart,
      long loadEnd,
      long killedAt,
      long caughtUpAt,
      long drainedAt,
      long outageStarted,
      long restartedAt) {}

  static FailoverReport of(
      ClusterFailover.Options options,
      int events,
      Counts audit,
      Counts notices,
      Map<String, Long> revokedAt,
      OutputClock clock,
      Times times,
      Throughput throughput,
      Posts posts,
      ApiAgreement apis,
      boolean survivorAlive,
      Duration took,
      Path dir) {
    long loadStart = times.loadStart();
    long killedAt = times.killedAt();
    long caughtUpAt = times.caughtUpAt();
    long drainedAt = times.drainedAt();
    long failoverEnd = caughtUpAt == 0 ? drainedAt : caughtUpAt;
    List<Long> before = new ArrayList<>();
    List<Long> during = new ArrayList<>();
    revokedAt.forEach(
        (token, sent) -> {
          Long noticed = clock.firstNotice(token);
          if (noticed == null || noticed < sent) {
            return; // missing (counted in notices) or noticed already, through an ancestor
          }
          long millis = (noticed - sent) / 1_000_000;
          if (sent < loadStart) {
            return; // posted in the warm-up, before the paced load
          } else if (sent < killedAt) {
            before.add(millis);
          } else if (sent <= failoverEnd) {
            during.add(millis);
          }
        });
    Collections.sort(before);
    Collections.sort(during);
    long silence = 0;
    long last = killedAt;
    for (long t : clock.arrivals()) {
      if (t > killedAt && t <= failoverEnd) {
        silence = Math.max(silence, t - last);
        last = t;
      }
    }
    silence = Math.max(silence, failoverEnd - last) / 1_000_000;
    return new FailoverReport(
        options,
        events,
        audit,
        notices,
        List.copyOf(before),
        List.copyOf(during),
        silence,
        Duration.ofNanos(killedAt - loadStart),
        caughtUpAt == 0 ? null : Duration.ofNanos(caughtUpAt - killedAt),
        Duration.ofNanos(drainedAt - times.loadEnd()),
        times.restartedAt() == 0
            ? null
            : Duration.ofNanos(times.restartedAt() - times.outageStarted()),
        throughput,
        posts,
        apis,
        survivorAlive,
        took,
        dir);
  }

  /** The p-th percentile (0..100) of sorted values, or -1 when there are none. */
  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /**
   * With two brokers of three down, every post was answered 503 (none accepted, no other error) by
   * every API instance; and no post of the run got anything but 202 or 503. True when no second
   * broker stopped and every post was accepted.
   */
  public boolean outageRefused() {
    boolean clean = posts.unexpected() == 0;
    if (!options.secondBrokerStops()) {
      return clean;
    }
    return clean
        && outage != null
        && posts.otherThan(Posts.Phase.DOWN, 503) == 0
        && posts.refusedBy().getOrDefault(Posts.Phase.DOWN, java.util.Set.of()).size()
            == apis.indexed().size();
  }

  /**
   * Every event audited once, every revoked token noticed once, the survivor caught up, the outage
   * refused, both API instances complete and in agreement, no process restarted.
   */
  public boolean passed() {
    return audit.exact()
        && notices.exact()
        && catchUp != null
        && survivorAlive
        && outageRefused()
        && apis.agreed();
  }

  /** A few lines for the test output and RELIABILITY.md. */
  public String toText() {
    return String.format(
        Locale.ROOT,
        """
        cluster run: %,d events at %,d/s over HTTP to 2 API instances, %d partitions, 3 brokers \
        (RF 3, min.insync 2), %d streams instance(s) (session timeout %d s, standby %s, static \
        membership), %s after %.1f s%s
          throughput %,.0f events audited/s over the whole load, %,.0f/s at best (10 s)
          audit      %,d once, %,d missing, %,d doubled %s
          notices    %,d tokens once, %,d missing, %,d doubled %s
          latency    before the kill: p50 %d ms, max %d ms (%d revocations)
          gap        posted during the failover: p50 %d ms, max %d ms (%d revocations); \
        longest silence %d ms
          catch-up   %s after the kill; all drained %.1f s after the load
          outage     %s
        %s%s  run        %.1f s (data in %s)
        """,
        events,
        options.perSecond(),
        options.partitions(),
        options.streams(),
        options.sessionTimeout().toSeconds(),
        options.standby() ? "1" : "0",
        options.kills() ? "kill -9 of one" : "no kill (one instance); its mark",
        killAfter.toMillis() / 1e3,
        options.stopBrokerAt() > 0
            ? String.format(
                Locale.ROOT,
                ", one broker stopped after %.0f%% of the events",
                options.stopBrokerAt() * 100)
            : "",
        throughput.overall(),
        throughput.peak(),
        audit.once(),
        audit.missing(),
        audit.duplicated(),
        audit.examples().isEmpty() ? "" : audit.examples(),
        notices.once(),
        notices.missing(),
        notices.duplicated(),
        notices.examples().isEmpty() ? "" : notices.examples(),
        percentile(beforeKillMillis, 50),
        percentile(beforeKillMillis, 100),
        beforeKillMillis.size(),
        percentile(duringFailoverMillis, 50),
        percentile(duringFailoverMillis, 100),
        duringFailoverMillis.size(),
        longestSilenceMillis,
        catchUp == null ? "never" : String.format(Locale.ROOT, "%.1f s", catchUp.toMillis() / 1e3),
        drained.toMillis() / 1e3,
        !options.secondBrokerStops()
            ? "none (no second broker stopped)"
            : String.format(
                Locale.ROOT,
                "a second broker stopped after %.0f%% of the events; two of three down for %s;"
                    + " %s",
                options.stopSecondBrokerAt() * 100,
                outage == null
                    ? "ever (not restarted)"
                    : String.format(Locale.ROOT, "%.1f s", outage.toMillis() / 1e3),
                outageRefused() ? "every post then refused with 503" : "NOT refused as it must be"),
        posts.toText(),
        apis.toText(),
        took.toMillis() / 1e3,
        dir);
  }
}

package dev.ledger.streams;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.SettingsCheck;
import dev.ledger.streams.internal.ResolvedRoots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the stream processor needs to run. Build one with {@link #builder(String)}; every
 * field has a default except the bootstrap servers.
 *
 * @param bootstrapServers Kafka bootstrap servers, never null or blank
 * @param applicationId Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir where RocksDB state lives
 * @param depthLimit chains deeper than this are flagged {@code depth_limit} (still recorded)
 * @param maxDepth the hard bound: a token deeper than this (the root is depth 0) never resolves. It
 *     is refused like a cycle (audit record, {@code depth_limit} alert, TokenNode pending with
 *     {@code depth_limit}) and what would hang below it is an orphan, so no chain the ledger writes
 *     has more than {@code maxDepth + 1} hops, and no cycle probe travels more than {@code
 *     maxDepth} hops. Tokens between {@code depthLimit} and {@code maxDepth} are flagged and
 *     resolve
 * @param limits how large any part of an event written to {@code ledger.events} may be; an event
 *     beyond them goes to {@code ledger.dlq} ({@code too_large})
 * @param unknownTokenGrace how long a use of a token never seen waits before it is judged {@code
 *     unknown_token}
 * @param dedupeRetention how long an event id is remembered to drop duplicates; {@link
 *     Duration#ZERO} (the default) remembers them forever, like {@code ledger.events} keeps events.
 *     With a bound, the dedupe state stops growing, but a copy arriving later than that (a replay
 *     of an old file) is processed again, except a copy of an allowed use of a resolved token,
 *     which the tree processor drops for good (it keeps every allowed use it judges)
 * @param exactlyOnce {@code exactly_once_v2} when true, {@code at_least_once} otherwise
 * @param commitInterval Kafka Streams commit interval: under exactly-once, how long outputs wait to
 *     become visible, except a revocation's, which commits at once in both stages
 * @param usesFlushInterval how often the {@code uses} counts on {@code ledger.tokens} are brought
 *     up to date (wall clock): a use writes no TokenNode, the flush writes each used token and its
 *     ancestors once per interval
 * @param resolvedRoots how many resolved tokens this instance remembers the root of, so that a
 *     child of one of them resolves without asking its parent over the resolve loop ({@link
 *     dev.ledger.streams.internal.ResolvedRoots}); 0 remembers none
 * @param threads stream threads of this instance
 * @param replicationFactor for the internal topics (changelogs, the resolve loop, the tree topic)
 * @param standbyReplicas warm copies of each task's state kept by other instances ({@code
 *     num.standby.replicas}); {@link #standbysFor(int)} gives the default for an instance count
 * @param sessionTimeout how long a silent instance keeps its tasks before the group gives them to
 *     the others ({@code session.timeout.ms}); heartbeats go every third of it
 * @param instanceId a stable name of this instance for static membership ({@code
 *     group.instance.id}, prefixed with the application id), or null for dynamic membership
 * @param overrides raw Kafka Streams / client properties applied last (never null)
 * @param crashAfterRecords test-only fault injection, empty (the default) in any real use: the
 *     stream thread processing the n-th event of this instance throws, once for each n listed, so a
 *     fault campaign can show that Kafka Streams replaces the thread and nothing is lost or doubled
 *     ({@link dev.ledger.streams.internal.InjectedCrash})
 */
public record StreamsSettings(
    String bootstrapServers,
    String applicationId,
    Path stateDir,
    int depthLimit,
    int maxDepth,
    LedgerLimits limits,
    Duration unknownTokenGrace,
    Duration dedupeRetention,
    boolean exactlyOnce,
    Duration commitInterval,
    Duration usesFlushInterval,
    int resolvedRoots,
    int threads,
    int replicationFactor,
    int standbyReplicas,
    Duration sessionTimeout,
    String instanceId,
    Map<String, String> overrides,
    List<Long> crashAfterRecords) {

  /**
   * Default commit interval: a transaction per 100 ms amortizes its markers and the cache flush
   * over many events; revocations do not wait for it (streams/README.md, "Caching and commits").
   */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  /**
   * Default interval of the {@code uses} flush: {@code uses} on ledger.tokens is at most this much
   * behind.
   */
  public static final Duration DEFAULT_USES_FLUSH_INTERVAL = Duration.ofMillis(500);

  /**
   * Default {@link #applicationId}: the stream processor's consumer group and the prefix of its
   * internal topics, which tools that watch its progress look up.
   */
  public static final String DEFAULT_APPLICATION_ID = "ledger-streams";

  /** Default {@link #maxDepth}: 64 hops below the root, twice the default flag limit. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /**
   * Default session timeout: a killed instance's tasks move after about 10 s instead of Kafka's 45
   * s, while a stop-the-world pause or a slow poll of a few seconds is not mistaken for a death.
   */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The default {@link #standbyReplicas()} for {@code instances} instances of one application: one
   * standby as soon as there is another instance to keep it, none for a single instance.
   */
  public static int standbysFor(int instances) {
    return instances > 1 ? 1 : 0;
  }

  /** Default dedupe retention: forever ({@code ledger.events} keeps every event forever too). */
  public static final Duration DEFAULT_DEDUPE_RETENTION = Duration.ZERO;

  /**
   * Validates every field at once and throws one {@link IllegalArgumentException} listing each
   * problem.
   */
  public StreamsSettings {
    crashAfterRecords = crashAfterRecords == null ? List.of() : List.copyOf(crashAfterRecords);
    new SettingsCheck("streams settings")
        .requireText("bootstrapServers", bootstrapServers)
        .requireText("applicationId", applicationId)
        .require("stateDir", stateDir)
        .atLeast("depthLimit", depthLimit, 1)
        .atLeast("maxDepth", maxDepth, 1)
        .require("limits", limits)
        .notNegative("unknownTokenGrace", unknownTokenGrace, null)
        .notNegative("dedupeRetention", dedupeRetention, "forever")
        .positive("commitInterval", commitInterval)
        .positive("usesFlushInterval", usesFlushInterval)
        .atLeast("resolvedRoots", resolvedRoots, 0)
        .atLeast("threads", threads, 1)
        .atLeast("replicationFactor", replicationFactor, 1)
        .check(
            crashAfterRecords.stream().allMatch(n -> n >= 1),
            "crashAfterRecords must be >= 1 each, was " + crashAfterRecords)
        .atLeast("standbyReplicas", standbyReplicas, 0)
        .check(
            sessionTimeout != null && sessionTimeout.toMillis() >= 1,
            "sessionTimeout must be at least 1 ms")
        .throwIfAny();
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.strip();
  }

  /**
   * A builder with the defaults: application id {@code ledger-streams}, state in {@code
   * data/streams}, depth limit 32, max depth 64, {@link LedgerLimits#DEFAULTS}, grace 5 minutes,
   * dedupe forever, exactly-once, commits every 100 ms, uses flushed every 500 ms, one thread,
   * replication 1, no standby, a 10 s session timeout, dynamic membership.
   */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** A copy of these settings as a builder. */
  public Builder toBuilder() {
    return new Builder(bootstrapServers)
        .applicationId(applicationId)
        .stateDir(stateDir)
        .depthLimit(depthLimit)
        .maxDepth(maxDepth)
        .limits(limits)
        .unknownTokenGrace(unknownTokenGrace)
        .dedupeRetention(dedupeRetention)
        .exactlyOnce(exactlyOnce)
        .commitInterval(commitInterval)
        .usesFlushInterval(usesFlushInterval)
        .resolvedRoots(resolvedRoots)
        .threads(threads)
        .replicationFactor(replicationFactor)
        .standbyReplicas(standbyReplicas)
        .sessionTimeout(sessionTimeout)
        .instanceId(instanceId)
        .overrides(overrides)
        .crashAfterRecords(crashAfterRecords);
  }

  /** Builds {@link StreamsSettings}; not thread-safe. */
  public static final class Builder {
    private final String bootstrapServers;
    private String applicationId = DEFAULT_APPLICATION_ID;
    private Path stateDir = Path.of("data", "streams");
    private int depthLimit = 32;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private LedgerLimits limits = LedgerLimits.DEFAULTS;
    private Duration unknownTokenGrace = Duration.ofMinutes(5);
    private Duration dedupeRetention = DEFAULT_DEDUPE_RETENTION;
    private boolean exactlyOnce = true;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private Duration usesFlushInterval = DEFAULT_USES_FLUSH_INTERVAL;
    private int resolvedRoots = ResolvedRoots.DEFAULT_CAPACITY;
    private int threads = 1;
    private int replicationFactor = 1;
    private int standbyReplicas = 0;
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    private String instanceId;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private List<Long> crashAfterRecords = List.of();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Builder applicationId(String applicationId) {
      this.applicationId = applicationId;
      return this;
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder depthLimit(int depthLimit) {
      this.depthLimit = depthLimit;
      return this;
    }

    public Builder maxDepth(int maxDepth) {
      this.maxDepth = maxDepth;
      return this;
    }

    public Builder limits(LedgerLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder unknownTokenGrace(Duration grace) {
      this.unknownTokenGrace = grace;
      return this;
    }

    public Builder dedupeRetention(Duration retention) {
      this.dedupeRetention = retention;
      return this;
    }

    public Builder exactlyOnce(boolean exactlyOnce) {
      this.exactlyOnce = exactlyOnce;
      return this;
    }

    public Builder commitInterval(Duration commitInterval) {
      this.commitInterval = commitInterval;
      return this;
    }

    public Builder usesFlushInterval(Duration usesFlushInterval) {
      this.usesFlushInterval = usesFlushInterval;
      return this;
    }

    /** See {@link StreamsSettings#resolvedRoots}. */
    public Builder resolvedRoots(int resolvedRoots) {
      this.resolvedRoots = resolvedRoots;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    public Builder standbyReplicas(int standbyReplicas) {
      this.standbyReplicas = standbyReplicas;
      return this;
    }

    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = sessionTimeout;
      return this;
    }

    /** A stable name for static membership; null or blank for dynamic membership. */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /** Adds one raw Kafka Streams / client property, applied after everything else. */
    public Builder override(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder overrides(Map<String, String> values) {
      values.forEach(this::override);
      return this;
    }

    /** Test-only: see {@link StreamsSettings#crashAfterRecords}. */
    public Builder crashAfterRecords(List<Long> counts) {
      this.crashAfterRecords = List.copyOf(counts);
      return this;
    }

    public StreamsSettings build() {
      return new StreamsSettings(
          bootstrapServers,
          applicationId,
          stateDir,
          depthLimit,
          maxDepth,
          limits,
          unknownTokenGrace,
          dedupeRetention,
          exactlyOnce,
          commitInterval,
          usesFlushInterval,
          resolvedRoots,
          threads,
          replicationFactor,
          standbyReplicas,
          sessionTimeout,
          instanceId,
          overrides,
          crashAfterRecords);
    }
  }
}

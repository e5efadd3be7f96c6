package dev.ledger.streams;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stream processor. {@link #start} creates the internal topics if needed (the public
 * ones must exist: {@code TopicAdmin.ensureTopics}), starts Kafka Streams and returns at once;
 * watch {@link #state()} for RUNNING. A stream thread that dies is replaced after a backoff; after
 * too many deaths the Kafka Streams client is shut down and a new one started once Kafka answers
 * again ({@link RecoveryPolicy}), so the process outlives a cluster outage.
 */
public final class LedgerStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerStreams.class);

  /** How long {@link #close()} waits for Kafka Streams to stop. */
  public static final int CLOSE_TIMEOUT_SECONDS = 30;

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS);

  private final StreamsSettings settings;
  private final MeterRegistry registry;
  private final ThreadDeaths deaths;
  private final ScheduledExecutorService restarter;
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics metrics;
  private volatile boolean closed;

  private LedgerStreams(StreamsSettings settings, MeterRegistry registry, RecoveryPolicy policy) {
    this.settings = settings;
    this.registry = registry;
    this.deaths = new ThreadDeaths(policy);
    this.restarter =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("ledger-streams-restarter").unstarted(r));
    this.streams = newClient();
  }

  /** A new Kafka Streams client with the recovery handler, its metrics bound to the registry. */
  private KafkaStreams newClient() {
    KafkaStreams client =
        new KafkaStreams(LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings));
    client.setUncaughtExceptionHandler(this::onThreadDeath);
    client.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            deaths.onRunning(System.currentTimeMillis());
          }
        });
    synchronized (this) {
      if (metrics != null) {
        metrics.close();
      }
      if (registry != null) {
        metrics = new KafkaStreamsMetrics(client);
        metrics.bindTo(registry);
      }
    }
    return client;
  }

  /**
   * Starts the processor.
   *
   * @param settings never null
   * @param registry where Kafka Streams metrics are bound; may be null
   * @throws IllegalStateException if {@code ledger.events} does not exist or topics cannot be
   *     created
   */
  public static LedgerStreams start(StreamsSettings settings, MeterRegistry registry) {
    return start(settings, registry, RecoveryPolicy.DEFAULT);
  }

  /**
   * As {@link #start(StreamsSettings, MeterRegistry)}, recovering from thread deaths by {@code
   * policy}.
   */
  public static LedgerStreams start(
      StreamsSettings settings, MeterRegistry registry, RecoveryPolicy policy) {
    ensureInternalTopics(settings);
    LedgerStreams app = new LedgerStreams(settings, registry, policy);
    app.streams.start();
    LOG.info(
        "ledger streams started: application {} on {}",
        settings.applicationId(),
        settings.bootstrapServers());
    return app;
  }

  /**
   * Creates the internal topics with as many partitions as {@code ledger.events}; idempotent. The
   * admin client is configured as Kafka Streams configures its own (security settings included).
   */
  public static void ensureInternalTopics(StreamsSettings settings) {
    Map<String, Object> adminConfig =
        new StreamsConfig(LedgerTopology.streamsConfig(settings))
            .getAdminConfigs(settings.applicationId() + "-setup");
    try (Admin admin = Admin.create(adminConfig)) {
      TopicDescription events =
          admin
              .describeTopics(List.of(Topics.EVENTS.name()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(Topics.EVENTS.name());
      TopicAdmin.ensureTopics(
          admin,
          LedgerTopology.internalTopics(settings),
          events.partitions().size(),
          (short) settings.replicationFactor());
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot prepare topics (does "
              + Topics.EVENTS.name()
              + " exist?): "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within 30 s at " + settings.bootstrapServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing topics", e);
    }
  }

  private StreamThreadExceptionResponse onThreadDeath(Throwable error) {
    ThreadDeaths.Decision d = deaths.onThreadDeath(System.currentTimeMillis());
    if (d.action() == ThreadDeaths.Action.RESTART_CLIENT) {
      LOG.error(
          "stream thread died again, restarting the ledger streams client in {}",
          d.backoff(),
          error);
      scheduleRestart(d.backoff());
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.warn("stream thread died, replacing it in {}", d.backoff(), error);
    try {
      // The dying thread waits: its replacement starts after the backoff, the others go on.
      Thread.sleep(d.backoff());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  private void scheduleRestart(Duration delay) {
    if (!closed) {
      restarter.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Replaces the shut-down client with a new one, on the restarter thread (never a stream thread:
   * closing a client from its own thread would wait for itself) once Kafka answers.
   */
  private void restart() {
    if (closed) {
      return;
    }
    KafkaStreams old = streams;
    if (!old.close(CLOSE_TIMEOUT)) {
      LOG.warn("the failed ledger streams client did not stop within {}", CLOSE_TIMEOUT);
    }
    if (!kafkaAnswers()) {
      Duration next = deaths.onRestartFailed();
      LOG.warn("Kafka does not answer; next restart of the ledger streams client in {}", next);
      scheduleRestart(next);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      streams = newClient();
      streams.start();
    }
    LOG.warn("ledger streams client restarted");
  }

  /** Whether the cluster names its brokers within 10 s (the admin is configured as Streams's). */
  private boolean kafkaAnswers() {
    Map<String, Object> adminConfig =
        new StreamsConfig(LedgerTopology.streamsConfig(settings))
            .getAdminConfigs(settings.applicationId() + "-probe");
    try (Admin admin = Admin.create(adminConfig)) {
      return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** True while running or rebalancing. */
  public boolean isRunning() {
    return streams.state().isRunningOrRebalancing();
  }

  /** Stops within {@value #CLOSE_TIMEOUT_SECONDS} seconds, committing what was processed. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (metrics != null) {
        metrics.close();
      }
    }
    restarter.shutdownNow();
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("ledger streams did not stop within {}", CLOSE_TIMEOUT);
    }
  }
}

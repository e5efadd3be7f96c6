package dev.ledger.streams;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
 * watch {@link #state()} for RUNNING. A stream thread that dies is replaced, up to {@value
 * #MAX_REPLACEMENTS} times a minute, then the client shuts down (state ERROR).
 */
public final class LedgerStreams implements AutoCloseable {

  /** Thread replacements tolerated per minute before the instance gives up. */
  public static final int MAX_REPLACEMENTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LedgerStreams.class);

  /** How long {@link #close()} waits for Kafka Streams to stop. */
  public static final int CLOSE_TIMEOUT_SECONDS = 30;

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final Deque<Long> replacements = new ArrayDeque<>();

  private LedgerStreams(StreamsSettings settings, MeterRegistry registry) {
    this.streams =
        new KafkaStreams(LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings));
    this.streams.setUncaughtExceptionHandler(this::onThreadDeath);
    if (registry != null) {
      this.metrics = new KafkaStreamsMetrics(streams);
      this.metrics.bindTo(registry);
    } else {
      this.metrics = null;
    }
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
    ensureInternalTopics(settings);
    LedgerStreams app = new LedgerStreams(settings, registry);
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

  private synchronized StreamThreadExceptionResponse onThreadDeath(Throwable error) {
    long now = System.currentTimeMillis();
    while (!replacements.isEmpty() && replacements.peekFirst() < now - 60_000) {
      replacements.pollFirst();
    }
    if (replacements.size() >= MAX_REPLACEMENTS) {
      LOG.error("stream thread died again, shutting down the ledger streams client", error);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    replacements.addLast(now);
    LOG.warn("stream thread died, replacing it", error);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
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
    if (metrics != null) {
      metrics.close();
    }
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("ledger streams did not stop within {}", CLOSE_TIMEOUT);
    }
  }
}

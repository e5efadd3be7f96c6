package dev.ledger.streams.testing;

import dev.ledger.streams.LedgerStreams;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/** The real application on a {@link TestKafka} broker, for integration tests and benchmarks. */
public final class StreamsApps {

  private StreamsApps() {}

  /** Settings for an application on {@code kafka}, its state in a fresh temporary directory. */
  public static StreamsSettings.Builder settings(TestKafka kafka, String applicationId) {
    try {
      return StreamsSettings.builder(kafka.bootstrapServers())
          .applicationId(applicationId)
          .stateDir(Files.createTempDirectory("ledger-streams-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the application and waits until it is RUNNING. */
  public static LedgerStreams start(StreamsSettings settings) {
    return start(settings, null);
  }

  /**
   * Starts the application with its metrics bound to {@code registry} (may be null) and waits until
   * it is RUNNING.
   */
  public static LedgerStreams start(StreamsSettings settings, MeterRegistry registry) {
    LedgerStreams app = LedgerStreams.start(settings, registry);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> app.state() == KafkaStreams.State.RUNNING);
    return app;
  }
}

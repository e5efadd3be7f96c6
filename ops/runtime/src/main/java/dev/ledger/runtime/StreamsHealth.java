package dev.ledger.runtime;

import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import dev.ledger.streams.LedgerStreams;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Maps the Kafka Streams state onto up/starting/down. */
final class StreamsHealth implements HealthCheck {

  private final LedgerStreams streams;

  StreamsHealth(LedgerStreams streams) {
    this.streams = streams;
  }

  @Override
  public String name() {
    return "streams";
  }

  @Override
  public HealthReport check() {
    KafkaStreams.State state = streams.state();
    HealthReport.State s =
        switch (state) {
          case RUNNING -> HealthReport.State.UP;
          case CREATED, REBALANCING -> HealthReport.State.STARTING;
          default -> HealthReport.State.DOWN;
        };
    return new HealthReport(s, Map.of("state", state.name()));
  }
}

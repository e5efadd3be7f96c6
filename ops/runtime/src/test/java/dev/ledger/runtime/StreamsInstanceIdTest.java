package dev.ledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.runtime.config.LedgerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stream processor's static membership: fixed on the embedded broker, so that a {@code ledger
 * up} restarted after a {@code kill -9} replaces its dead member at once instead of waiting out the
 * rebalance timeout; the operator's choice on a cluster.
 */
class StreamsInstanceIdTest {

  @Test
  void onTheEmbeddedBrokerTheProcessorIsAStaticMember() {
    assertThat(LedgerNode.streamsInstanceId(LedgerConfig.defaults(Map.of())))
        .isEqualTo(LedgerNode.EMBEDDED_INSTANCE_ID);
  }

  @Test
  void onAClusterMembershipIsDynamicUnlessANameIsConfigured() {
    assertThat(
            LedgerNode.streamsInstanceId(
                LedgerConfig.defaults(Map.of("kafka.bootstrap.servers", "broker:9092"))))
        .isNull();
    assertThat(
            LedgerNode.streamsInstanceId(
                LedgerConfig.defaults(
                    Map.of(
                        "kafka.bootstrap.servers",
                        "broker:9092",
                        "streams.instance.id",
                        "east-1"))))
        .isEqualTo("east-1");
  }

  @Test
  void aConfiguredNameWinsOnTheEmbeddedBrokerToo() {
    assertThat(
            LedgerNode.streamsInstanceId(
                LedgerConfig.defaults(Map.of("streams.instance.id", "mine"))))
        .isEqualTo("mine");
  }
}

package dev.ledger.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The floor's shapes write what they claim per event: the bench divides CPU by events and names the
 * records written, so a shape that wrote more or fewer would mislabel its row. Counted as {@code
 * WriteAmplificationTest} counts the ledger's, every topic the driver saw written (repartitions and
 * changelogs included), and every event reaches the output unchanged.
 */
class FloorShapeTest {

  @ParameterizedTest
  @EnumSource(
      value = FloorShape.class,
      names = {"PASS_THROUGH", "REPARTITIONED", "STORED"})
  void eachShapeWritesItsRecordsPerEventAndPassesEveryEventOn(FloorShape shape) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "floor-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(shape.topology(), config)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              FloorShape.INPUT, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      int events = 5;
      for (int i = 0; i < events; i++) {
        in.pipeInput(bytes("token-" + i), bytes("event-" + i));
      }
      Map<String, Integer> written = new TreeMap<>();
      for (String topic : driver.producedTopicNames()) {
        int n =
            driver
                .createOutputTopic(
                    topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                .readRecordsToList()
                .size();
        if (topic.equals(FloorShape.OUTPUT)) {
          assertThat(n).as("events on the output").isEqualTo(events);
        }
        written.put(topic, n);
      }
      assertThat(written).containsKey(FloorShape.OUTPUT);
      assertThat(written.values().stream().mapToInt(Integer::intValue).sum())
          .as("records written for %d events: %s", events, written)
          .isEqualTo(events * shape.recordsWritten());
    }
  }

  @Test
  void theBrokerShapeHasNoTopology() {
    assertThat(FloorShape.BROKER.recordsWritten()).isZero();
    assertThatThrownBy(FloorShape.BROKER::topology).isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theVerdictSaysWhatTheFloorLeavesOfTheBudget() {
    assertThat(FloorBench.left(16.4, 38.5))
        .isEqualTo("leaves 22 of the target's 39 µs per event to the ledger's own work");
    assertThat(FloorBench.left(45, 38.5))
        .isEqualTo("leaves nothing: the floor alone is 7 µs over the target's 39 µs per event");
  }
}

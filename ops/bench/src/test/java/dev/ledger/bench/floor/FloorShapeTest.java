package dev.ledger.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
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
 * changelogs included), and every event reaches the shape's output: unchanged, or for the indexed
 * shape as the audit record of the same event.
 */
class FloorShapeTest {

  private static final List<EncodedEvent> EVENTS =
      new EventEncoder()
          .encodeAll(WorkloadGenerator.events(WorkloadSpec.builder().seed(3).build()), 5);

  @ParameterizedTest
  @EnumSource(
      value = FloorShape.class,
      names = {"PASS_THROUGH", "REPARTITIONED", "STORED", "INDEXED"})
  void eachShapeWritesItsRecordsPerEventAndPassesEveryEventOn(FloorShape shape) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "floor-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(shape.topology(), config)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              FloorShape.INPUT, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      EVENTS.forEach(e -> in.pipeInput(e.key(), e.value()));
      Map<String, Integer> written = new TreeMap<>();
      List<KeyValue<byte[], byte[]>> output = List.of();
      for (String topic : driver.producedTopicNames()) {
        List<KeyValue<byte[], byte[]>> records =
            driver
                .createOutputTopic(
                    topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                .readKeyValuesToList();
        if (topic.equals(shape.output())) {
          output = records;
        }
        written.put(topic, records.size());
      }
      assertThat(written.values().stream().mapToInt(Integer::intValue).sum())
          .as("records written for %d events: %s", EVENTS.size(), written)
          .isEqualTo(EVENTS.size() * shape.recordsWritten());
      assertThat(output).hasSameSizeAs(EVENTS);
      for (int i = 0; i < EVENTS.size(); i++) {
        EncodedEvent sent = EVENTS.get(i);
        byte[] value = output.get(i).value;
        if (shape.indexed()) {
          AuditRecord audit =
              Topics.AUDIT.valueSerde().deserializer().deserialize(Topics.AUDIT.name(), value);
          String eventId =
              Topics.EVENTS
                  .valueSerde()
                  .deserializer()
                  .deserialize(Topics.EVENTS.name(), sent.value())
                  .getEventId();
          assertThat(audit.getEventId()).isEqualTo(eventId);
        } else {
          assertThat(value).isEqualTo(sent.value());
        }
      }
    }
  }

  @Test
  void theBrokerShapeHasNoTopology() {
    assertThat(FloorShape.BROKER.recordsWritten()).isZero();
    assertThatThrownBy(FloorShape.BROKER::topology).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onlyTheIndexedShapeWritesTheAuditTopicForTheLedgersIndexer() {
    assertThat(FloorShape.INDEXED.output()).isEqualTo(Topics.AUDIT.name());
    assertThat(FloorShape.STORED.output()).isEqualTo(FloorShape.OUTPUT);
    assertThat(FloorShape.INDEXED.indexed()).isTrue();
    assertThat(FloorShape.REPARTITIONED.indexed()).isFalse();
  }

  @Test
  void theVerdictSaysWhatTheFloorLeavesOfTheBudget() {
    assertThat(FloorBench.left(16.4, 38.5))
        .isEqualTo("leaves 22 of the target's 39 µs per event to the ledger's own work");
    assertThat(FloorBench.left(45, 38.5))
        .isEqualTo("leaves nothing: the floor alone is 7 µs over the target's 39 µs per event");
  }
}

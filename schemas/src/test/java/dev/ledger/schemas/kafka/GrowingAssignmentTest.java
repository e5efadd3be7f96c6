package dev.ledger.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GrowingAssignmentTest {

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

  private void partitions(String topic, int count) {
    consumer.updatePartitions(
        topic,
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> new PartitionInfo(topic, i, null, null, null))
            .toList());
  }

  @Test
  void theFirstLookAssignsEveryPartitionOfEveryTopic() {
    partitions("a", 2);
    partitions("b", 1);
    GrowingAssignment assignment =
        new GrowingAssignment(
            consumer, List.of("a", "b"), Duration.ofHours(1), Duration.ofSeconds(1));

    Set<TopicPartition> added = assignment.recheckIfDue();

    Set<TopicPartition> all =
        Set.of(new TopicPartition("a", 0), new TopicPartition("a", 1), new TopicPartition("b", 0));
    assertThat(added).isEqualTo(all);
    assertThat(consumer.assignment()).isEqualTo(all);
  }

  @Test
  void addedPartitionsAreAssignedAndReturnedAloneKeepingThePositionsOfTheOthers() {
    partitions("a", 1);
    GrowingAssignment assignment =
        new GrowingAssignment(consumer, List.of("a"), Duration.ofHours(1), Duration.ofSeconds(1));
    assignment.recheck();
    TopicPartition first = new TopicPartition("a", 0);
    consumer.updateBeginningOffsets(Map.of(first, 0L));
    consumer.seek(first, 42);

    partitions("a", 3);
    assertThat(assignment.recheckIfDue()).as("not due yet: the interval is an hour").isEmpty();
    Set<TopicPartition> added = assignment.recheck();

    assertThat(added)
        .containsExactlyInAnyOrder(new TopicPartition("a", 1), new TopicPartition("a", 2));
    assertThat(consumer.assignment()).hasSize(3);
    assertThat(consumer.position(first)).isEqualTo(42);
    assertThat(assignment.recheck()).as("nothing new the next time").isEmpty();
  }

  @Test
  void aLookIsDueAgainOnceTheIntervalHasPassed() throws InterruptedException {
    partitions("a", 1);
    GrowingAssignment assignment =
        new GrowingAssignment(consumer, List.of("a"), Duration.ofMillis(1), Duration.ofSeconds(1));
    assignment.recheckIfDue();
    partitions("a", 2);
    Thread.sleep(5); // past the 1 ms interval; what is tested is the interval, not a race

    assertThat(assignment.recheckIfDue()).containsExactly(new TopicPartition("a", 1));
  }

  @Test
  void refusesNoTopicsAndNonPositiveDurations() {
    assertThatThrownBy(
            () ->
                new GrowingAssignment(
                    consumer, List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new GrowingAssignment(consumer, List.of("a"), Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new GrowingAssignment(consumer, List.of("a"), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

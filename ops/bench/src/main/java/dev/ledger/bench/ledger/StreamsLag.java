package dev.ledger.bench.ledger;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the stream processor is behind its inputs: the end offsets of every partition its
 * consumer group has committed ({@code ledger.events} and its own internal topics) minus those
 * committed offsets, summed. The index lag alone does not show it: the indexer is caught up with
 * whatever Streams has written, however far Streams is behind. Under exactly-once each transaction
 * leaves a marker after its records, so a processor that is caught up reads a few records, not 0.
 */
public final class StreamsLag implements AutoCloseable {

  private final Admin admin;
  private final String group;

  /**
   * @param group the stream processor's consumer group, its {@code streams.application.id}
   */
  public StreamsLag(KafkaClientSettings kafka, String group) {
    this.admin = Admin.create(kafka.config());
    this.group = group;
  }

  /** Records behind, summed over the group's partitions; -1 when the broker did not answer. */
  public long records() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      long lag = 0;
      for (var e : committed.entrySet()) {
        if (e.getValue() != null && ends.containsKey(e.getKey())) {
          lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
        }
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}

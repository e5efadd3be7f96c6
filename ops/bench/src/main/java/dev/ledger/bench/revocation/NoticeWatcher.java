package dev.ledger.bench.revocation;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code ledger.tokens} and {@code ledger.revocations} as a resource server would
 * (read_committed, from the end, no consumer group) and keeps, per tree (the token id without its
 * last {@code -N}), which tokens are active and which were noticed revoked, and when the latest
 * notice arrived. Only trees whose ids start with {@code prefix} are tracked.
 *
 * <p>Each topic has a consumer and a thread of its own: a resource server reads only the notices,
 * and a cascade's descendants' nodes on ledger.tokens (one per notice, decoded here to see which
 * tokens are active) must not sit in the same polls ahead of the notices being timed.
 */
public final class NoticeWatcher implements AutoCloseable {

  /** What is known about one tree. */
  static final class TreeState {
    final Set<String> active = new HashSet<>();
    final Set<String> noticed = new HashSet<>();
    long firstNoticeNanos;
    long lastNoticeNanos;
    long lastNotifiedAtMillis;
  }

  private final Map<String, TreeState> trees = new ConcurrentHashMap<>();
  private final String prefix;
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch assigned = new CountDownLatch(2);
  private volatile boolean closed;

  /** Starts watching trees whose token ids start with {@code prefix}. */
  public NoticeWatcher(KafkaClientSettings kafka, String prefix) {
    this.prefix = prefix;
    Map<String, Object> props = kafka.config();
    props.putAll(
        Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            20,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5_000));
    for (String topic : List.of(Topics.TOKENS.name(), Topics.REVOCATIONS.name())) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("bench-watcher-" + topic)
              .start(() -> loop(props, topic)));
    }
  }

  private void loop(Map<String, Object> props, String topic) {
    var tokens = Topics.TOKENS.valueSerde().deserializer();
    var notices = Topics.REVOCATIONS.valueSerde().deserializer();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve "end" now, before anything is sent
      assigned.countDown();
      while (!closed) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (ConsumerRecord<String, byte[]> r : records) {
          String key = r.key();
          int slash = key == null ? -1 : key.indexOf('/');
          if (slash < 0 || !key.startsWith(prefix, slash + 1) || r.value() == null) {
            continue;
          }
          String tokenId = key.substring(slash + 1);
          TreeState tree =
              trees.computeIfAbsent(
                  tokenId.substring(0, tokenId.lastIndexOf('-')), t -> new TreeState());
          synchronized (tree) {
            if (r.topic().equals(Topics.TOKENS.name())) {
              TokenNode node = tokens.deserialize(r.topic(), r.value());
              if (node.getStatus() == TokenStatus.active) {
                tree.active.add(tokenId);
              }
            } else {
              RevocationNotice notice = notices.deserialize(r.topic(), r.value());
              if (tree.noticed.add(notice.getTokenId())) {
                if (tree.firstNoticeNanos == 0) {
                  tree.firstNoticeNanos = now;
                }
                tree.lastNoticeNanos = now;
                if (notice.getNotifiedAt() != null) {
                  tree.lastNotifiedAtMillis =
                      Math.max(tree.lastNotifiedAtMillis, notice.getNotifiedAt().toEpochMilli());
                }
              }
            }
          }
        }
      }
    }
  }

  /** Blocks until the watcher reads from the end of both topics. */
  public void awaitAssigned() throws InterruptedException {
    assigned.await();
  }

  /** Active tokens seen for tree {@code tree}. */
  public int active(String tree) {
    return read(tree, s -> (long) s.active.size()).intValue();
  }

  /** Revoked tokens noticed for {@code tree}. */
  public int noticed(String tree) {
    return read(tree, s -> (long) s.noticed.size()).intValue();
  }

  /** When the latest new notice of {@code tree} arrived ({@link System#nanoTime()}), or 0. */
  public long lastNoticeNanos(String tree) {
    return read(tree, s -> s.lastNoticeNanos);
  }

  /** When the first notice of {@code tree} arrived ({@link System#nanoTime()}), or 0. */
  public long firstNoticeNanos(String tree) {
    return read(tree, s -> s.firstNoticeNanos);
  }

  /**
   * The latest {@code notified_at} among {@code tree}'s notices (epoch ms, the ledger's clock: when
   * its stream thread wrote them, before their transaction committed), or 0.
   */
  public long lastNotifiedAtMillis(String tree) {
    return read(tree, s -> s.lastNotifiedAtMillis);
  }

  private Long read(String tree, java.util.function.Function<TreeState, Long> field) {
    TreeState s = trees.get(tree);
    if (s == null) {
      return 0L;
    }
    synchronized (s) {
      return field.apply(s);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    for (Thread thread : threads) {
      thread.join(5_000);
    }
  }
}

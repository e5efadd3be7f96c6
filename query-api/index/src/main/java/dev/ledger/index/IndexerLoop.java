package dev.ledger.index;

import dev.ledger.index.internal.WriteCounts;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.kafka.GrowingAssignment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consumer loop behind {@link Indexer}: runs on its own thread, owns the KafkaConsumer. */
final class IndexerLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Indexer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_BACKOFF_MS = IndexerSettings.MAX_WRITE_RETRY_BACKOFF.toMillis();

  /** The topics the index is built from. */
  static final List<String> TOPICS =
      List.of(
          Topics.TOKENS.name(),
          Topics.AUDIT.name(),
          Topics.ALERTS.name(),
          Topics.REVOCATIONS.name());

  private final IndexerSettings settings;
  private final LedgerIndex index;
  private final List<Consumer<SequencedNotice>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Counter> documents = new HashMap<>();
  private final Counter rejected;
  private final Timer commitTimer;
  private final Timer refreshTimer;
  private final AtomicLong indexed = new AtomicLong();

  private volatile IndexerStatus.State state = IndexerStatus.State.STARTING;
  private volatile long lag = -1;
  private volatile Map<String, Long> lagByTopic = Map.of();
  private volatile String lastError;
  private volatile boolean stopping;
  private volatile boolean crashing;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /** The pause before the next try after a write error; only the indexer thread uses it. */
  private long backoff;

  IndexerLoop(IndexerSettings settings, LedgerIndex index, MeterRegistry meters) {
    this.settings = settings;
    this.index = index;
    this.backoff = settings.writeRetryBackoff().toMillis();
    for (String topic : TOPICS) {
      documents.put(
          topic,
          Counter.builder("ledger.index.documents")
              .description("Records indexed")
              .tag("topic", topic)
              .register(meters));
    }
    this.rejected =
        Counter.builder("ledger.index.rejected")
            .description("Undecodable records skipped")
            .register(meters);
    this.commitTimer =
        Timer.builder("ledger.index.commit")
            .description("Lucene commits with Kafka positions")
            .register(meters);
    this.refreshTimer =
        Timer.builder("ledger.index.refresh")
            .description("Near-real-time searcher reopens")
            .register(meters);
    Gauge.builder("ledger.index.lag", this, l -> l.lag < 0 ? Double.NaN : l.lag)
        .description("Records on Kafka not yet indexed")
        .baseUnit("records")
        .register(meters);
    Gauge.builder(
            "ledger.index.refresh.interval", index, i -> i.currentRefreshInterval().toNanos() / 1e6)
        .description("Interval of scheduled near-real-time reopens, following the write rate")
        .baseUnit("milliseconds")
        .register(meters);
    writeCounter(meters, "add", WriteCounts.Snapshot::added);
    writeCounter(meters, "update", WriteCounts.Snapshot::updated);
    writeCounter(meters, "delete", WriteCounts.Snapshot::deleted);
  }

  private void writeCounter(
      MeterRegistry meters, String op, ToLongFunction<WriteCounts.Snapshot> count) {
    FunctionCounter.builder("ledger.index.writes", index, i -> count.applyAsLong(i.writes()))
        .description("Lucene document writes asked for (add, update, delete)")
        .tag("op", op)
        .register(meters);
  }

  void addRevocationListener(Consumer<SequencedNotice> listener) {
    listeners.add(listener);
  }

  IndexerStatus status() {
    return new IndexerStatus(state, lag, lastError, indexed.get(), lagByTopic);
  }

  /** Times every reopen that changed the searcher. */
  ReferenceManager.RefreshListener refreshTimer() {
    return new ReferenceManager.RefreshListener() {
      private long start;

      @Override
      public void beforeRefresh() {
        start = System.nanoTime();
      }

      @Override
      public void afterRefresh(boolean didRefresh) {
        if (didRefresh) {
          refreshTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
      }
    };
  }

  void stop(boolean crash) {
    crashing = crash;
    stopping = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
      consumer = c;
      try {
        consumeAndRecover(c);
      } catch (WakeupException e) {
        if (!stopping) {
          throw e;
        }
      }
      if (!crashing) {
        commitOnClose(c);
      }
      state = IndexerStatus.State.CLOSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state = IndexerStatus.State.CLOSED;
    } catch (Exception e) {
      lastError = e.toString();
      state = IndexerStatus.State.FAILED;
      log.error("indexer stopped: {}", e.toString(), e);
    }
  }

  /**
   * Consumes until stopped. A write error (a full disk: Lucene's IOException, or the writer it
   * closed) makes the indexer {@code DEGRADED}: it pauses, goes back to the index's last commit
   * (documents written since are dropped, a writer the error closed is opened again) and to the
   * Kafka positions that commit holds, and tries a commit; once one succeeds it consumes again, and
   * what was dropped is indexed again from Kafka, once. The pause doubles after each failed try, up
   * to {@link IndexerSettings#MAX_WRITE_RETRY_BACKOFF}.
   */
  private void consumeAndRecover(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
    while (!stopping) {
      try {
        consume(c);
        return;
      } catch (IOException | UncheckedIOException | AlreadyClosedException e) {
        writeFailed(e);
      }
      while (!stopping && !recover(c)) {
        // recover() has noted the failure and grown the pause: try again after it
      }
    }
  }

  /**
   * One try at recovering from a write error, after the current pause: true when the index is
   * writable again (its last commit reopened, the consumer back at its positions, a commit
   * written).
   */
  private boolean recover(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
    pause(backoff);
    if (stopping) {
      return false;
    }
    try {
      index.reopenFromLastCommit();
      seekToCommitted(c, c.assignment());
      // A commit of nothing new: it writes a commit point, so it fails while the disk is full.
      index.commit(Map.of());
    } catch (IOException | UncheckedIOException | AlreadyClosedException e) {
      writeFailed(e);
      return false;
    }
    log.info("index writable again: indexing from its last commit, {}", index.committedOffsets());
    state = IndexerStatus.State.RUNNING;
    return true;
  }

  /** Notes a write error: DEGRADED, the error as lastError, and a longer pause next time. */
  private void writeFailed(Exception e) {
    lastError = "index write failed: " + withCause(e);
    state = IndexerStatus.State.DEGRADED;
    log.warn(
        "{}; searches answer from the last searchable documents; retrying in {} ms",
        lastError,
        backoff);
    long max = Math.max(MAX_BACKOFF_MS, settings.writeRetryBackoff().toMillis());
    backoff = Math.min(backoff * 2, max);
  }

  /**
   * {@code e} and its cause: a writer closed by a write error says only "this IndexWriter is
   * closed", the write error is its cause.
   */
  private static String withCause(Exception e) {
    Throwable cause = e.getCause();
    return cause == null || e.toString().contains(cause.toString())
        ? e.toString()
        : e + " (after " + cause + ")";
  }

  /** Sleeps {@code millis}, waking early when stopped. */
  private void pause(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!stopping) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(left, POLL.toMillis()));
    }
  }

  /**
   * The commit of a clean close. Not while {@code DEGRADED}: a write error may have left part of a
   * batch written, and committing it with the positions past the whole batch would lose the rest;
   * the next start resumes from the last commit that succeeded instead.
   */
  private void commitOnClose(KafkaConsumer<byte[], byte[]> c) throws IOException {
    if (state == IndexerStatus.State.DEGRADED) {
      log.warn("no commit on close after a write error: the next start resumes from the last one");
      return;
    }
    try {
      commit(c);
    } catch (WakeupException e) {
      // The wakeup of stop() was still pending and is now consumed: the second try blocks
      // normally.
      commit(c);
    }
  }

  /** Polls and indexes until stopped; a WakeupException from any blocking call means stop. */
  private void consume(KafkaConsumer<byte[], byte[]> c) throws IOException, InterruptedException {
    GrowingAssignment partitions =
        new GrowingAssignment(c, TOPICS, settings.partitionRecheckInterval(), METADATA_TIMEOUT);
    // A broker that is not up yet keeps us STARTING, not FAILED.
    while (!stopping && !assignPartitions(c, partitions)) {
      Thread.sleep(POLL.toMillis());
    }
    state = IndexerStatus.State.RUNNING;
    long lastCommit = System.nanoTime();
    long lastLag = 0;
    long lastRecheck = System.nanoTime();
    long uncommitted = 0;
    while (!stopping) {
      if (c.assignment().isEmpty()) {
        // None of the topics exists yet (poll would throw): look again shortly.
        Thread.sleep(POLL.toMillis());
        assignPartitions(c, partitions);
        continue;
      }
      // A write error in the background (a flush of a scheduled reopen, a merge) closed a writer:
      // what is written now would be lost.
      index.throwIfWriteFailed();
      ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
      indexBatch(records);
      uncommitted += records.count();
      long now = System.nanoTime();
      if (uncommitted >= settings.commitEveryRecords()
          || (uncommitted > 0 && now - lastCommit >= settings.commitInterval().toNanos())) {
        commit(c);
        uncommitted = 0;
        lastCommit = now;
        // Indexing and committing work again: the next write error starts with a short pause.
        backoff = settings.writeRetryBackoff().toMillis();
      }
      if (now - lastLag >= LAG_EVERY_NANOS) {
        updateLag(c);
        lastLag = now;
      }
      if (now - lastRecheck >= settings.partitionRecheckInterval().toNanos()) {
        assignPartitions(c, partitions);
        lastRecheck = now;
      }
    }
  }

  private Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
    // Positions live in the Lucene commit, so no group and no Kafka offset commits.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Streams writes exactly-once: index only what its transactions committed.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    // partitionsFor answers from cached metadata: refresh it as often as we look for new
    // partitions.
    p.put(
        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
        Long.toString(settings.partitionRecheckInterval().toMillis()));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putAll(settings.consumerOverrides());
    return p;
  }

  /**
   * Assigns partitions not yet assigned, each at its committed position, else the beginning.
   * Returns false (and records the error) when the broker cannot say which partitions exist.
   */
  private boolean assignPartitions(KafkaConsumer<byte[], byte[]> c, GrowingAssignment partitions) {
    Set<TopicPartition> added;
    try {
      added = partitions.recheck();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      lastError = "cannot list partitions of " + TOPICS + ": " + e.getMessage();
      log.warn("{}", lastError);
      return false;
    }
    if (added.isEmpty()) {
      return true;
    }
    int fresh = seekToCommitted(c, added);
    log.info(
        "indexing {} partitions ({} new, {} from the beginning)",
        c.assignment().size(),
        added.size(),
        fresh);
    return true;
  }

  /**
   * Seeks each of {@code partitions} to the position the index's last commit holds for it, else to
   * its beginning; returns how many went to the beginning.
   */
  private int seekToCommitted(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> committed = index.committedOffsets();
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long position = committed.get(tp);
      if (position == null) {
        fresh.add(tp);
      } else {
        c.seek(tp, position);
      }
    }
    if (!fresh.isEmpty()) {
      // Never with an empty list: that means every assigned partition, committed positions
      // included.
      c.seekToBeginning(fresh);
    }
    return fresh.size();
  }

  /**
   * Indexes one poll's records, each partition in offset order:
   *
   * <ol>
   *   <li>revocation notices first, made searchable and handed to the listeners before anything
   *       else of the batch is indexed, so that resource servers never wait behind token documents
   *       (a cascade's 10,000 descendants' documents follow its notices); they live in an index of
   *       their own, so making them searchable forces no reopen of the main index;
   *   <li>audit records and alerts, added (append-only), then the amendments of audit records
   *       folded into the documents they amend (rare: only uses whose verdict changed);
   *   <li>tokens last, coalesced by key: only the last version of a token in the batch is written,
   *       one update per token per batch. A token's versions share a key, so a partition, whose
   *       order the batch keeps: the last one is the newest.
   * </ol>
   *
   * Each record's value is stored as it came; it is decoded only for the fields.
   */
  void indexBatch(Iterable<ConsumerRecord<byte[], byte[]>> records)
      throws IOException, InterruptedException {
    List<SequencedNotice> notices = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.topic().equals(Topics.REVOCATIONS.name())) {
        indexOne(
            r,
            () -> {
              LedgerKey key = key(r);
              notices.add(
                  index.putRevocation(
                      key.tenant(),
                      key.tokenId(),
                      decode(Topics.REVOCATIONS, r),
                      r.value(),
                      r.partition(),
                      r.offset()));
            });
      }
    }
    if (!notices.isEmpty()) {
      // Reopens the notices alone: the main index is not flushed for them (see NoticeIndex). A
      // reopen that failed on a write error throws: listeners hear only searchable notices.
      index.awaitNoticesSearchableOrThrow();
      notifyListeners(notices);
    }
    Map<String, ConsumerRecord<byte[], byte[]>> tokens = new LinkedHashMap<>();
    List<AuditRecord> amendments = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String topic = r.topic();
      if (topic.equals(Topics.AUDIT.name())) {
        indexOne(
            r,
            () -> {
              AuditRecord a = decode(Topics.AUDIT, r);
              if (a != null && a.getAmends() != null) {
                amendments.add(a); // after its original, which precedes it in the same partition
              } else if (a != null) {
                index.putAudit(a, r.value());
              }
            });
      } else if (topic.equals(Topics.ALERTS.name())) {
        indexOne(
            r,
            () -> {
              Alert a = decode(Topics.ALERTS, r);
              if (a != null) {
                index.putAlert(a, r.value());
              }
            });
      } else if (topic.equals(Topics.TOKENS.name()) && tokens.put(coalescingKey(r), r) != null) {
        counted(topic); // an older version, superseded within the batch: read, not written
      }
    }
    index.amendAudits(amendments);
    for (ConsumerRecord<byte[], byte[]> r : tokens.values()) {
      indexOne(
          r,
          () -> {
            TokenNode t = decode(Topics.TOKENS, r);
            if (t == null) {
              LedgerKey key = key(r);
              index.deleteToken(key.tenant(), key.tokenId());
            } else {
              index.putToken(t, r.value());
            }
          });
    }
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Runs one record's write, skipping (and counting) a record that cannot be decoded. */
  private void indexOne(ConsumerRecord<byte[], byte[]> r, Write write) throws IOException {
    try {
      write.run();
      counted(r.topic());
    } catch (SerializationException | IllegalArgumentException e) {
      // A bad record on an output topic is the writer's bug; skipping it keeps the index serving.
      rejected.increment();
      log.warn(
          "skipped undecodable record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
    }
  }

  private void counted(String topic) {
    documents.get(topic).increment();
    indexed.incrementAndGet();
  }

  private static <V> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> r) {
    return topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
  }

  /** The record's key, or a key of its own when it has none (then it cannot be coalesced). */
  private static String coalescingKey(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null
        ? "\u0000" + r.partition() + "@" + r.offset()
        : new String(r.key(), StandardCharsets.UTF_8);
  }

  private static LedgerKey key(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      throw new IllegalArgumentException("record without key");
    }
    return LedgerKey.parse(new String(r.key(), StandardCharsets.UTF_8));
  }

  private void notifyListeners(List<SequencedNotice> notices) {
    for (SequencedNotice n : notices) {
      for (Consumer<SequencedNotice> l : listeners) {
        try {
          l.accept(n);
        } catch (RuntimeException e) {
          log.warn(
              "revocation listener failed on {}/{}: {}", n.tenant(), n.tokenId(), e.toString());
        }
      }
    }
  }

  private void commit(KafkaConsumer<byte[], byte[]> c) throws IOException {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : c.assignment()) {
      positions.put(tp, c.position(tp));
    }
    long start = System.nanoTime();
    index.commit(positions);
    commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void updateLag(KafkaConsumer<byte[], byte[]> c) {
    try {
      Set<TopicPartition> assigned = c.assignment();
      Map<TopicPartition, Long> ends = c.endOffsets(assigned, METADATA_TIMEOUT);
      long total = 0;
      Map<String, Long> byTopic = new java.util.TreeMap<>();
      for (TopicPartition tp : assigned) {
        long behind = Math.max(0, ends.getOrDefault(tp, 0L) - c.position(tp));
        total += behind;
        byTopic.merge(tp.topic(), behind, Long::sum);
      }
      lagByTopic = byTopic;
      lag = total;
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      lastError = "cannot measure lag: " + e;
      log.debug("cannot measure lag", e);
    }
  }
}

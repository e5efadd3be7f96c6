package dev.ledger.export.log;

import dev.ledger.export.sign.NotaryKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.kafka.GrowingAssignment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link IntegrityLog} from {@code ledger.audit}: a consumer thread that assigns itself
 * every partition (no group: the offsets live in the log, committed with the leaves), reads
 * committed transactions only, appends each record to its tenant's log in the order it consumes
 * them, commits after each poll and signs checkpoints when due.
 *
 * <p>The order of consumption is the order the ledger committed the records: within a partition it
 * is Kafka's, across partitions it is the interleaving this consumer saw, fixed forever once
 * appended. Start with {@link #start}, stop with {@link #close}. Values that are not audit records
 * (or audit records without a tenant or event id) are counted ({@code ledger.notary.undecodable})
 * and skipped: no tenant's log can hold them.
 *
 * <p>A write error (a full disk) does not stop it: it retries from the log's last commit with a
 * growing pause, and {@link #writeFailure()} says so meanwhile (see {@link IntegrityLog}).
 */
public final class Notary implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Notary.class);

  private final NotaryConfig config;
  private final IntegrityLog log;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final GrowingAssignment assignment;
  private final Deserializer<AuditRecord> values = Topics.AUDIT.valueSerde().deserializer();
  private final Counter appended;
  private final Counter duplicates;
  private final Counter undecodable;
  private final Counter checkpoints;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final boolean ownsLog;
  private volatile boolean running = true;

  /** The write error being recovered from, null while the log is written. */
  private volatile Exception writeFailure;

  /** The pause before the next try after a write error; only the consumer thread uses it. */
  private long backoff;

  private Notary(NotaryConfig config, IntegrityLog log, boolean ownsLog, MeterRegistry registry) {
    this.config = config;
    this.log = log;
    this.ownsLog = ownsLog;
    this.backoff = config.writeRetryBackoff().toMillis();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ledger-notary");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // partitionsFor answers from cached metadata: refresh it as often as we look for new ones.
    props.put(
        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
        Long.toString(config.partitionRecheck().toMillis()));
    props.putAll(config.consumerOverrides());
    this.consumer = new KafkaConsumer<>(props);
    this.assignment =
        new GrowingAssignment(
            consumer, List.of(config.topic()), config.partitionRecheck(), Duration.ofSeconds(30));
    this.appended = registry.counter("ledger.notary.appended");
    this.duplicates = registry.counter("ledger.notary.duplicates");
    this.undecodable = registry.counter("ledger.notary.undecodable");
    this.checkpoints = registry.counter("ledger.notary.checkpoints");
    this.thread = new Thread(this::run, "ledger-notary");
    this.thread.setDaemon(true);
  }

  /** Starts consuming into {@code log} (which the caller keeps and closes after this). */
  public static Notary start(NotaryConfig config, IntegrityLog log, MeterRegistry registry) {
    Notary notary = new Notary(config, log, false, registry);
    notary.thread.start();
    return notary;
  }

  /**
   * The one call a launcher needs: loads or creates the notary key in {@code dataDir}, opens the
   * log in {@code dataDir/integrity} ({@link IntegrityLog#DIRECTORY}) and starts consuming. {@link
   * #close()} then closes the log too.
   */
  public static Notary start(Path dataDir, NotaryConfig config, MeterRegistry registry)
      throws IOException {
    IntegrityLog log =
        IntegrityLog.open(
            dataDir.resolve(IntegrityLog.DIRECTORY),
            NotaryKey.loadOrCreate(dataDir),
            Clock.systemUTC());
    try {
      Notary notary = new Notary(config, log, true, registry);
      notary.thread.start();
      return notary;
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** The log this notary appends to. */
  public IntegrityLog log() {
    return log;
  }

  private void run() {
    try {
      assignAndSeek();
      while (running) {
        try {
          readAddedPartitions();
          appendBatch();
        } catch (IOException | UncheckedIOException e) {
          recoverFrom(e);
        }
      }
    } catch (WakeupException e) {
      // close() or stop() asked us to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.set(e);
      LOG.error("notary stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      stopped.countDown();
    }
  }

  /** One poll: appends its records, commits them with their offsets, signs the checkpoints due. */
  private void appendBatch() throws IOException {
    ConsumerRecords<byte[], byte[]> batch = consumer.poll(config.pollTimeout());
    if (!batch.isEmpty()) {
      Map<String, Long> next = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        append(r);
        next.put(partitionName(r.topic(), r.partition()), r.offset() + 1);
      }
      log.commit(next);
      // Appending and committing work: the next write error starts with a short pause again.
      backoff = config.writeRetryBackoff().toMillis();
    }
    int signed =
        log.checkpointsDue(config.checkpointEveryRecords(), config.checkpointInterval()).size();
    checkpoints.increment(signed);
  }

  /**
   * After a write error (a full disk): degraded ({@link #writeFailure()}) until the log is back at
   * its last commit, the consumer at the offsets that commit holds, and a commit has succeeded
   * again; between tries a pause that doubles, up to {@link NotaryConfig#MAX_WRITE_RETRY_BACKOFF}.
   * What was appended after the last commit is dropped and consumed again: nothing is skipped,
   * nothing doubled.
   */
  private void recoverFrom(Exception error) throws InterruptedException {
    Exception last = error;
    while (running) {
      writeFailure = last;
      LOG.warn(
          "integrity log write failed: {}; exports serve what was committed; retrying in {} ms",
          last.toString(),
          backoff);
      pause(backoff);
      backoff =
          Math.min(
              backoff * 2,
              Math.max(
                  NotaryConfig.MAX_WRITE_RETRY_BACKOFF.toMillis(),
                  config.writeRetryBackoff().toMillis()));
      if (!running) {
        return;
      }
      try {
        log.reopenFromLastCommit();
        seekToCommitted(consumer.assignment());
        // A commit of nothing new rewrites state.json: it fails while the disk is still full.
        log.commit(Map.of());
        writeFailure = null;
        LOG.info("integrity log writable again, consuming from {}", log.offsets());
        return;
      } catch (IOException | UncheckedIOException e) {
        last = e;
      }
    }
  }

  /** Sleeps {@code millis}, waking early when closed. */
  private void pause(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (running) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(left, 100));
    }
  }

  private void assignAndSeek() {
    Set<TopicPartition> partitions = assignment.recheck();
    seekToCommitted(partitions);
    LOG.info(
        "notary reading {} partitions of {} from {}",
        partitions.size(),
        config.topic(),
        log.offsets());
  }

  /**
   * Partitions added to the topic while the notary runs are read from their beginning (they hold
   * nothing the log has), without a restart.
   */
  private void readAddedPartitions() {
    Set<TopicPartition> added;
    try {
      added = assignment.recheckIfDue();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      // The broker is unreachable: the poll will say so too; look again at the next interval.
      LOG.warn("cannot list the partitions of {}: {}", config.topic(), e.getMessage());
      return;
    }
    if (!added.isEmpty()) {
      seekToCommitted(added);
      LOG.info("notary reading {} added partitions of {}", added.size(), config.topic());
    }
  }

  /** Seeks each partition to the offset the log's last commit holds, else to its beginning. */
  private void seekToCommitted(Collection<TopicPartition> partitions) {
    Map<String, Long> stored = log.offsets();
    for (TopicPartition tp : partitions) {
      Long offset = stored.get(partitionName(tp.topic(), tp.partition()));
      if (offset == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, offset);
      }
    }
  }

  private void append(ConsumerRecord<byte[], byte[]> r) throws IOException {
    AuditRecord record;
    try {
      record = values.deserialize(r.topic(), r.value());
    } catch (SerializationException e) {
      undecodable.increment();
      LOG.warn(
          "skipping a value at {}-{}@{} that is not an audit record: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      return;
    }
    if (record == null) {
      return;
    }
    boolean added;
    try {
      added = log.append(record);
    } catch (IllegalArgumentException e) {
      // An audit record without tenant or event id cannot be placed in any tenant's log.
      undecodable.increment();
      LOG.warn(
          "skipping an audit record at {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      return;
    }
    if (added) {
      appended.increment();
    } else {
      duplicates.increment();
    }
  }

  /** The key a partition's offset has in the log's state. */
  public static String partitionName(String topic, int partition) {
    return topic + "-" + partition;
  }

  /**
   * The write error the notary is recovering from (it retries by itself; exports serve what was
   * committed meanwhile), null while it writes normally.
   */
  public Exception writeFailure() {
    return writeFailure;
  }

  /** The error that stopped the consumer thread, if one did. */
  public Throwable failure() {
    return failure.get();
  }

  /**
   * Stops this notary for good because it may no longer write (another one took over its
   * deployment, see {@link NotaryLease}): {@link #failure()} then holds {@code why}, and the log
   * keeps what was committed.
   */
  public void stop(String why) {
    failure.compareAndSet(null, new IllegalStateException(why));
    running = false;
    consumer.wakeup();
  }

  /** True while the consumer thread runs. */
  public boolean isRunning() {
    return stopped.getCount() > 0;
  }

  /** Stops the consumer thread and waits for it; closes the log if this notary opened it. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsLog) {
      try {
        log.close();
      } catch (IOException e) {
        LOG.warn("closing the integrity log failed: {}", e.toString());
      }
    }
  }
}

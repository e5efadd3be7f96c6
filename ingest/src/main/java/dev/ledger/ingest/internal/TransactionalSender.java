package dev.ledger.ingest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns a transactional producer and turns queued batches into transactions.
 *
 * <p>A producer runs one transaction at a time, so instead of a pool of producers the batches that
 * queue up while a transaction commits are grouped into the next one (group commit): under load one
 * commit round trip serves many requests, and each batch is still all-or-nothing because a failed
 * transaction fails every batch in it. A batch is never split across transactions.
 *
 * <p>The queue is bounded in records: while the broker is away commits stall, and batches would
 * otherwise pile up in memory without end. A batch that does not fit fails at once with a {@link
 * RejectedExecutionException}, which ingest answers 503 (retry later).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TransactionalSender<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionalSender.class);

  private record Pending<K, V>(List<ProducerRecord<K, V>> records, CompletableFuture<Void> done) {}

  private final Supplier<Producer<K, V>> factory;
  private final int maxRecordsPerTransaction;
  private final int maxQueuedRecords;
  private final AtomicInteger queuedRecords = new AtomicInteger();
  private final BlockingQueue<Pending<K, V>> queue = new LinkedBlockingQueue<>();
  private final Pending<K, V> stop = new Pending<>(List.of(), new CompletableFuture<>());
  private final Object lock = new Object();
  private final Thread thread;
  private volatile Producer<K, V> producer;
  private boolean initialized;
  private boolean closed;

  /**
   * Starts the sender thread. The producer is created now (so metrics can bind to it) but contacts
   * the broker only on the first batch, so starting never blocks on an absent cluster.
   *
   * @param factory makes a transactional producer; called again after a fatal error
   * @param maxRecordsPerTransaction a transaction stops taking further batches at this many records
   * @param maxQueuedRecords most records waiting for a transaction; a batch beyond it is refused (a
   *     batch larger than this alone is still taken when the queue is empty)
   * @param name the thread's name
   */
  public TransactionalSender(
      Supplier<Producer<K, V>> factory,
      int maxRecordsPerTransaction,
      int maxQueuedRecords,
      String name) {
    this.factory = factory;
    this.maxRecordsPerTransaction = maxRecordsPerTransaction;
    this.maxQueuedRecords = maxQueuedRecords;
    this.producer = factory.get();
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** The current producer; a new one replaces it after a fatal error. */
  public Producer<K, V> producer() {
    return producer;
  }

  /**
   * Queues a batch; the future completes when its transaction committed, or fails when it aborted,
   * or at once with a {@link RejectedExecutionException} when the queue is full.
   */
  public CompletableFuture<Void> send(List<ProducerRecord<K, V>> records) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      int queued = queuedRecords.get();
      if (closed) {
        done.completeExceptionally(new IllegalStateException("the publisher is closed"));
      } else if (queued > 0 && queued + records.size() > maxQueuedRecords) {
        done.completeExceptionally(
            new RejectedExecutionException(
                "Kafka is not keeping up: "
                    + queued
                    + " records are already waiting to be sent (at most "
                    + maxQueuedRecords
                    + ")"));
      } else {
        queuedRecords.addAndGet(records.size());
        queue.add(new Pending<>(List.copyOf(records), done));
      }
    }
    return done;
  }

  private void run() {
    boolean running = true;
    while (running) {
      List<Pending<K, V>> group = new ArrayList<>();
      try {
        Pending<K, V> first = queue.take();
        int records = 0;
        for (Pending<K, V> next = first;
            next != null;
            next = records < maxRecordsPerTransaction ? queue.poll() : null) {
          if (next == stop) {
            running = false;
            break;
          }
          group.add(next);
          records += next.records().size();
          queuedRecords.addAndGet(-next.records().size());
        }
      } catch (InterruptedException e) {
        running = false;
      }
      if (!group.isEmpty()) {
        commit(group);
      }
    }
  }

  private void commit(List<Pending<K, V>> group) {
    Producer<K, V> p = producer;
    boolean begun = false;
    try {
      if (p == null) {
        throw new IllegalStateException("no transactional producer could be created");
      }
      if (!initialized) {
        p.initTransactions();
        initialized = true;
      }
      p.beginTransaction();
      begun = true;
      AtomicReference<Exception> sendError = new AtomicReference<>();
      for (Pending<K, V> pending : group) {
        for (ProducerRecord<K, V> record : pending.records()) {
          p.send(
              record,
              (metadata, e) -> {
                if (e != null) {
                  sendError.compareAndSet(null, e);
                }
              });
        }
      }
      p.flush();
      Exception failed = sendError.get();
      if (failed instanceof RuntimeException e) {
        throw e; // rethrown as is, so a fatal error below is told apart from an abortable one
      } else if (failed != null) {
        throw new KafkaException("a send failed", failed);
      }
      p.commitTransaction();
      group.forEach(pending -> pending.done().complete(null));
    } catch (ProducerFencedException
        | OutOfOrderSequenceException
        | InvalidProducerEpochException
        | AuthorizationException
        | UnsupportedVersionException e) {
      fail(group, e);
      replaceProducer(e);
    } catch (RuntimeException e) {
      fail(group, e);
      abortOrReplace(p, begun, e);
    }
  }

  private void abortOrReplace(Producer<K, V> p, boolean begun, RuntimeException cause) {
    if (!begun) {
      replaceProducer(cause);
      return;
    }
    try {
      p.abortTransaction();
      LOG.warn("aborted a transaction: {}", cause.toString());
    } catch (RuntimeException abortFailed) {
      replaceProducer(abortFailed);
    }
  }

  private void replaceProducer(RuntimeException cause) {
    LOG.warn("replacing the transactional producer after: {}", cause.toString());
    closeQuietly(producer, Duration.ZERO);
    initialized = false;
    try {
      producer = factory.get();
    } catch (RuntimeException e) {
      // Left null: the next batch fails fast and tries again to make one.
      LOG.error("cannot create a transactional producer", e);
      producer = null;
    }
  }

  private static void closeQuietly(Producer<?, ?> producer, Duration timeout) {
    if (producer == null) {
      return;
    }
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.debug("closing a producer", e);
    }
  }

  private static void fail(List<? extends Pending<?, ?>> group, Exception cause) {
    group.forEach(pending -> pending.done().completeExceptionally(cause));
  }

  /**
   * Commits what is queued, stops the thread (waiting at most {@code timeout}) and closes the
   * producer.
   */
  public void close(Duration timeout) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    }
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    List<Pending<K, V>> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, new IllegalStateException("the publisher was closed before this batch was sent"));
    closeQuietly(producer, timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}

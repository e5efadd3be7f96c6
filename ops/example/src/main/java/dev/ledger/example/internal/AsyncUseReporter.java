package dev.ledger.example.internal;

import dev.ledger.example.UseReporter;
import dev.ledger.ingest.client.LedgerClient;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends uses to the ledger from one background thread, in batches of whatever queued up while the
 * previous batch was in flight: under load a request costs a queue offer, and the ledger sees few
 * large batches instead of one POST per request. A full queue drops (and counts) rather than
 * blocking requests: the resource server's answer matters more than its report.
 */
public final class AsyncUseReporter implements UseReporter {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncUseReporter.class);
  private static final int MAX_BATCH = 500;

  private final LedgerClient client;
  private final BlockingQueue<LedgerEvent> queue;
  private final Duration closeTimeout;
  private final Thread sender;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param client the ledger, closed with this reporter; never null
   * @param capacity how many events may wait before new ones are dropped
   * @param closeTimeout how long {@link #close()} waits for queued events to be sent
   */
  public AsyncUseReporter(LedgerClient client, int capacity, Duration closeTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    this.sender = Thread.ofPlatform().name("example-use-reporter").daemon().start(this::run);
  }

  @Override
  public boolean report(LedgerEvent event) {
    Objects.requireNonNull(event, "event");
    if (!closed && queue.offer(event)) {
      return true;
    }
    if (lost.incrementAndGet() == 1) {
      LOG.warn(
          "dropping token.used events: {}",
          closed ? "reporter closed" : "queue full (the ledger is slow or down)");
    }
    return false;
  }

  private void run() {
    List<LedgerEvent> batch = new ArrayList<>(MAX_BATCH);
    while (!(closed && queue.isEmpty())) {
      try {
        LedgerEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        send(batch);
      } catch (InterruptedException e) {
        // close() gave up waiting: what is still queued is lost.
        lost.addAndGet(queue.size());
        queue.clear();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<LedgerEvent> batch) {
    try {
      client.send(batch);
      delivered.addAndGet(batch.size());
    } catch (RuntimeException e) {
      // InvalidEventException cannot happen (events are built validated); the rest is the ledger
      // refusing or gone.
      lost.addAndGet(batch.size());
      LOG.warn(
          "could not report {} token.used events to the ledger: {}", batch.size(), e.getMessage());
    }
  }

  @Override
  public long delivered() {
    return delivered.get();
  }

  @Override
  public long lost() {
    return lost.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      sender.join(closeTimeout);
      if (sender.isAlive()) {
        sender.interrupt();
        sender.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }
}

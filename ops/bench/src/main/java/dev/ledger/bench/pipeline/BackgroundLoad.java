package dev.ledger.bench.pipeline;

import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.workload.WorkloadSpec;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Steady background traffic for latency benchmarks: {@code ledger generate} events sent to {@code
 * ledger.events} at a fixed rate on a thread of its own, until closed.
 */
public final class BackgroundLoad implements AutoCloseable {

  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean closed;

  /** Starts sending {@code eventsPerSecond} (0 sends nothing). */
  public BackgroundLoad(KafkaClientSettings kafka, WorkloadSpec spec, int eventsPerSecond) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("bench-background")
            .start(
                () -> {
                  if (eventsPerSecond <= 0) {
                    return;
                  }
                  try (WorkloadStream events = new WorkloadStream(spec);
                      KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(kafka)) {
                    long start = System.nanoTime();
                    while (!closed) {
                      long due = (System.nanoTime() - start) * eventsPerSecond / 1_000_000_000L;
                      while (sent.get() < due && !closed) {
                        EncodedEvent e = events.next();
                        if (e == null) {
                          return;
                        }
                        producer.send(
                            new ProducerRecord<>(Topics.EVENTS.name(), e.key(), e.value()));
                        sent.incrementAndGet();
                      }
                      Thread.sleep(5);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /** Events sent so far. */
  public long sent() {
    return sent.get();
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(15_000);
  }
}

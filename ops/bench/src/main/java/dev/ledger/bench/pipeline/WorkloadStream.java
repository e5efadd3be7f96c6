package dev.ledger.bench.pipeline;

import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Generates and encodes {@code ledger generate} events on a thread of its own, ahead of the
 * producer, so the producer never waits for JSON work. The generator's CPU still counts against the
 * ledger (same JVM, same cores), which only makes the pipeline's number conservative.
 */
public final class WorkloadStream implements AutoCloseable {

  private final BlockingQueue<EncodedEvent> queue = new ArrayBlockingQueue<>(20_000);
  private final Thread thread;
  private volatile boolean closed;

  /** Starts generating {@code spec}'s events. */
  public WorkloadStream(WorkloadSpec spec) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("bench-generator")
            .start(
                () -> {
                  EventEncoder encoder = new EventEncoder();
                  Iterator<String> lines = WorkloadGenerator.events(spec).iterator();
                  try {
                    while (!closed && lines.hasNext()) {
                      queue.put(encoder.encode(lines.next()));
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /** The next event, or null if none came within a second (the spec is exhausted). */
  public EncodedEvent next() throws InterruptedException {
    return queue.poll(1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}

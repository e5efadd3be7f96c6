package dev.ledger.example.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.ingest.EventPublisher;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.LedgerClient;
import dev.ledger.ingest.client.RetryPolicy;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reporting never waits for the ledger, batches what queued up, and counts what it loses. */
class AsyncUseReporterTest {

  /** A publisher that holds every batch until released, then acknowledges or fails it. */
  static final class GatedPublisher implements EventPublisher {
    final List<List<LedgerEvent>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean fail;

    @Override
    public CompletableFuture<Void> publish(List<LedgerEvent> events) {
      calls.incrementAndGet();
      return CompletableFuture.runAsync(
          () -> {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            if (fail) {
              throw new IllegalStateException("broker gone");
            }
            batches.add(List.copyOf(events));
          });
    }

    @Override
    public void close() {}
  }

  static LedgerEvent use(int i) {
    return Events.used("tok-" + i, "https://api.flights.example", "GET /fares", true)
        .tenant("acme")
        .build();
  }

  @Test
  void reportsDoNotWaitForTheLedgerAndQueuedOnesGoInOneBatch() {
    GatedPublisher publisher = new GatedPublisher();
    AsyncUseReporter reporter =
        new AsyncUseReporter(
            LedgerClient.overKafka(publisher, RetryPolicy.none()), 100, Duration.ofSeconds(10));
    long t0 = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThat(reporter.report(use(i))).isTrue();
    }
    // The first batch is stuck in the publisher: reporting all 50 still took no time.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(reporter.delivered()).isZero();
    publisher.gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> reporter.delivered() == 50);
    // One batch held while the rest queued, then the rest together.
    assertThat(publisher.batches.size()).isBetween(1, 3);
    assertThat(publisher.batches.stream().mapToInt(List::size).sum()).isEqualTo(50);
    reporter.close();
    assertThat(reporter.lost()).isZero();
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() {
    GatedPublisher publisher = new GatedPublisher();
    AsyncUseReporter reporter =
        new AsyncUseReporter(
            LedgerClient.overKafka(publisher, RetryPolicy.none()), 5, Duration.ofMillis(200));
    // The sender takes the first event and is stuck in the publisher: the queue alone holds the
    // rest.
    assertThat(reporter.report(use(0))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.calls.get() == 1);
    int accepted = 0;
    for (int i = 1; i <= 20; i++) {
      accepted += reporter.report(use(i)) ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(5);
    assertThat(reporter.lost()).isEqualTo(15);
    publisher.gate.countDown();
    reporter.close();
    assertThat(reporter.delivered()).isEqualTo(6);
    assertThat(reporter.report(use(99))).isFalse();
  }

  @Test
  void batchesTheLedgerRefusesAreCountedAsLost() {
    GatedPublisher publisher = new GatedPublisher();
    publisher.fail = true;
    publisher.gate.countDown();
    AsyncUseReporter reporter =
        new AsyncUseReporter(
            LedgerClient.overKafka(publisher, RetryPolicy.none()), 10, Duration.ofSeconds(10));
    reporter.report(use(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> reporter.lost() == 1);
    reporter.close();
    assertThat(reporter.delivered()).isZero();
  }
}

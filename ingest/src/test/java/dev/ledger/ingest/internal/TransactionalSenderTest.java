package dev.ledger.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TransactionalSenderTest {

  /** A producer whose first transaction waits until the test lets the broker "come back". */
  static final class StalledProducer extends MockProducer<String, String> {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch brokerBack = new CountDownLatch(1);

    StalledProducer() {
      super(true, null, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void initTransactions() {
      entered.countDown();
      try {
        brokerBack.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.initTransactions();
    }
  }

  private static List<ProducerRecord<String, String>> batch(int size) {
    return java.util.stream.IntStream.range(0, size)
        .mapToObj(i -> new ProducerRecord<>("t", "k" + i, "v"))
        .toList();
  }

  @Test
  void theQueueIsBoundedWhileTheBrokerIsAway() throws Exception {
    StalledProducer producer = new StalledProducer();
    try (TransactionalSender<String, String> sender =
        new TransactionalSender<>(() -> producer, 1_000, 10, "test")) {
      CompletableFuture<Void> inFlight = sender.send(batch(3));
      assertThat(producer.entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> queued = sender.send(batch(6));
      CompletableFuture<Void> fits = sender.send(batch(4));
      CompletableFuture<Void> refused = sender.send(batch(1));

      assertThat(refused).isCompletedExceptionally();
      assertThatCause(refused)
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("10 records are already waiting to be sent (at most 10)");
      assertThat(queued).isNotDone();
      assertThat(fits).isNotDone();

      producer.brokerBack.countDown();
      CompletableFuture.allOf(inFlight, queued, fits).get(10, TimeUnit.SECONDS);
      // Once drained, the queue takes batches again.
      sender.send(batch(10)).get(10, TimeUnit.SECONDS);
    }
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
      assertThatCause(CompletableFuture<Void> future) {
    try {
      future.get(1, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return assertThat(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

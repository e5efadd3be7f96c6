package dev.ledger.bench.pipeline;

import dev.ledger.bench.harness.Cpu;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.bench.ledger.LedgerUnderTest;
import dev.ledger.schemas.Topics;
import dev.ledger.workload.WorkloadSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One timed pass of events through a running ledger: a producer sends generated events to {@code
 * ledger.events} for a fixed time, held back only when the index falls more than {@code maxBacklog}
 * events behind (so the run measures what the pipeline sustains, not how fast a queue fills); then
 * the clock runs until every event's audit record is indexed and the last event of every partition
 * is searchable through the API.
 */
public final class PipelineRun {

  /**
   * What a run achieved.
   *
   * @param events events sent and acknowledged
   * @param visible audit records the indexer wrote (equals {@code events} when complete)
   * @param sendSeconds from the first send until the producer was done
   * @param visibleSeconds from the first send until the last event was searchable
   * @param complete whether every event became visible before the stall timeout
   * @param cpuSeconds CPU time of the bench's own process meanwhile: the load generator, and the
   *     ledger too when it runs in the bench's JVM
   * @param bytes encoded size (key and value) of the events sent
   */
  public record Result(
      long events,
      long visible,
      double sendSeconds,
      double visibleSeconds,
      boolean complete,
      double cpuSeconds,
      long bytes) {
    public double eventsPerSecond() {
      return visible / visibleSeconds;
    }

    public String raw() {
      return String.format(
          Locale.ROOT,
          "events=%d visible=%d send-seconds=%.2f visible-seconds=%.2f cpu-seconds=%.2f"
              + " rate=%.0f/s per-bench-cpu-second=%.0f event-bytes=%d%s",
          events,
          visible,
          sendSeconds,
          visibleSeconds,
          cpuSeconds,
          eventsPerSecond(),
          visible / cpuSeconds,
          bytes,
          complete ? "" : " INCOMPLETE");
    }
  }

  private record Last(long offset, String eventId, String tenant) {}

  private static final String AUDIT = Topics.AUDIT.name();
  private static final Duration STALL = Duration.ofSeconds(60);

  private PipelineRun() {}

  /** Runs {@code spec}'s events through {@code ledger} for {@code duration}. */
  public static Result run(
      LedgerUnderTest ledger, WorkloadSpec spec, Duration duration, long maxBacklog)
      throws InterruptedException {
    double indexedBefore = ledger.indexed(AUDIT);
    Map<Integer, Last> last = new ConcurrentHashMap<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long bytes = 0;
    long start;
    long sendEnd;
    long cpuStart;
    try (WorkloadStream events = new WorkloadStream(spec);
        KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(ledger.kafkaClient())) {
      producer.partitionsFor(Topics.EVENTS.name());
      start = System.nanoTime();
      cpuStart = Cpu.processNanos();
      long deadline = start + duration.toNanos();
      while (System.nanoTime() < deadline && failure.get() == null) {
        // Reading the meter costs a registry search: check the backlog every 256 events only.
        if ((sent & 255) == 0) {
          while (sent - (ledger.indexed(AUDIT) - indexedBefore) > maxBacklog
              && System.nanoTime() < deadline) {
            Thread.sleep(2);
          }
        }
        EncodedEvent e = events.next();
        if (e == null) {
          break;
        }
        producer.send(
            new ProducerRecord<>(Topics.EVENTS.name(), e.key(), e.value()),
            (md, ex) -> {
              if (ex != null) {
                failure.compareAndSet(null, ex);
              } else {
                last.merge(
                    md.partition(),
                    new Last(md.offset(), e.eventId(), e.tenant()),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
              }
            });
        sent++;
        bytes += e.size();
      }
      producer.flush();
      sendEnd = System.nanoTime();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "the broker refused an event: " + failure.get(), failure.get());
    }
    boolean complete = awaitIndexed(ledger, indexedBefore, sent);
    if (complete) {
      for (Last l : last.values()) {
        complete &= awaitSearchable(ledger.api(), l);
      }
    }
    long end = System.nanoTime();
    long visible = Math.min(sent, (long) (ledger.indexed(AUDIT) - indexedBefore));
    return new Result(
        sent,
        visible,
        (sendEnd - start) / 1e9,
        (end - start) / 1e9,
        complete,
        (Cpu.processNanos() - cpuStart) / 1e9,
        bytes);
  }

  /** Waits until {@code count} more audit records are indexed; false when progress stalls. */
  private static boolean awaitIndexed(LedgerUnderTest ledger, double before, long count)
      throws InterruptedException {
    double seen = -1;
    long lastProgress = System.nanoTime();
    while (true) {
      double now = ledger.indexed(AUDIT) - before;
      if (now >= count) {
        return true;
      }
      if (now > seen) {
        seen = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        return false;
      }
      Thread.sleep(5);
    }
  }

  private static boolean awaitSearchable(ApiCalls api, Last l) throws InterruptedException {
    String path =
        "/v1/audit?limit=1&tenant="
            + ApiCalls.enc(l.tenant())
            + "&q="
            + ApiCalls.enc("event_id:\"" + l.eventId() + "\"");
    long deadline = System.nanoTime() + STALL.toNanos();
    while (System.nanoTime() < deadline) {
      ApiCalls.Answer a = api.get(path);
      if (a.ok() && a.body().contains(l.eventId())) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }
}

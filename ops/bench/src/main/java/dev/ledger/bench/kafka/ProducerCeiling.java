package dev.ledger.bench.kafka;

import dev.ledger.bench.harness.Cpu;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka's own ceiling, as {@code kafka-producer-perf-test} measures it: one producer sending a pool
 * of ready payloads as fast as the broker acknowledges them, for a fixed time. Here the pool is
 * real encoded ledger events (same keys, same sizes) and the producer has {@link ProducerSettings},
 * so the ledger's pipeline is compared with exactly what its own producers could push into the same
 * broker.
 */
public final class ProducerCeiling {

  /**
   * What one ceiling run reached.
   *
   * @param records acknowledged records
   * @param bytes acknowledged key and value bytes
   * @param seconds from the first send to the last acknowledgement
   * @param cpuSeconds CPU time of the whole process meanwhile (broker and producer)
   */
  public record Result(long records, long bytes, double seconds, double cpuSeconds) {
    public double recordsPerSecond() {
      return records / seconds;
    }

    public double megabytesPerSecond() {
      return bytes / seconds / (1024.0 * 1024.0);
    }

    public String raw() {
      return String.format(
          Locale.ROOT,
          "records=%d bytes=%d seconds=%.2f cpu-seconds=%.2f rate=%.0f/s %.2f MB/s"
              + " per-cpu-second=%.0f",
          records,
          bytes,
          seconds,
          cpuSeconds,
          recordsPerSecond(),
          megabytesPerSecond(),
          records / cpuSeconds);
    }
  }

  private ProducerCeiling() {}

  /**
   * Sends {@code pool} round and round to {@code topic} for {@code duration}, then waits for every
   * acknowledgement.
   *
   * @throws IllegalStateException if the broker refused a record (the ceiling would be wrong)
   */
  public static Result run(
      KafkaClientSettings kafka, String topic, List<EncodedEvent> pool, Duration duration) {
    return send(kafka, topic, pool, duration.toNanos(), Long.MAX_VALUE);
  }

  /**
   * Sends {@code count} records of {@code pool}, round and round, to {@code topic} as fast as the
   * broker takes them, then waits for every acknowledgement (the floor bench's load).
   *
   * @throws IllegalStateException if the broker refused a record
   */
  public static Result send(
      KafkaClientSettings kafka, String topic, List<EncodedEvent> pool, long count) {
    return send(kafka, topic, pool, Long.MAX_VALUE, count);
  }

  private static Result send(
      KafkaClientSettings kafka,
      String topic,
      List<EncodedEvent> pool,
      long durationNanos,
      long count) {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("the record pool is empty");
    }
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start;
    long end;
    long cpuStart;
    try (KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(kafka)) {
      producer.partitionsFor(topic); // metadata first, so the clock measures sending only
      start = System.nanoTime();
      cpuStart = Cpu.processNanos();
      long i = 0;
      while (i < count && System.nanoTime() - start < durationNanos && failure.get() == null) {
        EncodedEvent e = pool.get((int) (i++ % pool.size()));
        int size = e.size();
        producer.send(
            new ProducerRecord<>(topic, e.key(), e.value()),
            (md, ex) -> {
              if (ex != null) {
                failure.compareAndSet(null, ex);
              } else {
                acked.incrementAndGet();
                ackedBytes.addAndGet(size);
              }
            });
      }
      producer.flush();
      end = System.nanoTime();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "the broker refused a ceiling record: " + failure.get(), failure.get());
    }
    return new Result(
        acked.get(), ackedBytes.get(), (end - start) / 1e9, (Cpu.processNanos() - cpuStart) / 1e9);
  }
}

package dev.ledger.ingest.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest meters. They live in a composite registry from the start (recording nowhere), so the
 * service needs no registry to work; {@link #bindTo} adds a real one, e.g. the Prometheus registry
 * behind {@code /metrics}.
 *
 * <ul>
 *   <li>{@code ledger.ingest.batches} (counter, tag {@code result}: accepted, invalid, forbidden,
 *       unsupported_media_type, unavailable)
 *   <li>{@code ledger.ingest.events} (counter): events accepted
 *   <li>{@code ledger.ingest.publish} (timer): from handing a batch to the publisher to Kafka's
 *       acknowledgement
 * </ul>
 */
public final class IngestMetrics {

  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final Map<String, Counter> batches = new ConcurrentHashMap<>();
  private final Counter events =
      Counter.builder("ledger.ingest.events")
          .description("events accepted and acknowledged by Kafka")
          .register(meters);
  private final Timer publish =
      Timer.builder("ledger.ingest.publish")
          .description("time from publishing a batch to Kafka's acknowledgement")
          .register(meters);

  /** Records to {@code registry} from now on (in addition to any registry bound before). */
  public void bindTo(MeterRegistry registry) {
    meters.add(registry);
  }

  /** Counts one batch by its result, e.g. {@code accepted}. */
  public void batch(String result) {
    batches
        .computeIfAbsent(
            result,
            r ->
                Counter.builder("ledger.ingest.batches")
                    .description("batches submitted, by result")
                    .tag("result", r)
                    .register(meters))
        .increment();
  }

  public void accepted(int count) {
    events.increment(count);
  }

  public Timer publish() {
    return publish;
  }
}

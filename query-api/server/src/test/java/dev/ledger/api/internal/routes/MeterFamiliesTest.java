package dev.ledger.api.internal.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeterFamiliesTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void readsOnlyTheMetersAskedFor() {
    AtomicInteger expensiveReads = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      Gauge.builder("kafka.client.thing", expensiveReads, AtomicInteger::incrementAndGet)
          .tag("client", "c" + i)
          .register(registry);
    }
    registry.counter("ledger.index.documents", "topic", "ledger.audit").increment(3);
    Gauge.builder("ledger.index.lag", () -> 7).baseUnit("records").register(registry);

    String text =
        MeterFamilies.text(
                registry,
                MetricsRoute.families(
                    List.of("ledger_index_documents_total", "ledger_index_lag_records")))
            .orElseThrow();

    assertThat(expensiveReads).hasValue(0);
    assertThat(text)
        .contains(
            "ledger_index_documents_total{topic=\"ledger.audit\"} 3.0",
            "ledger_index_lag_records 7.0",
            "# TYPE ledger_index_documents counter")
        .doesNotContain("kafka_client");
  }

  @Test
  void samplesAreTheOnesTheRegistryItselfWrites() {
    registry.counter("ledger.index.documents", "topic", "a\"b\\c").increment(2);
    Gauge.builder("ledger.index.lag", () -> Double.NaN).baseUnit("records").register(registry);
    Set<String> families = Set.of("ledger_index_documents", "ledger_index_lag_records");

    assertThat(samples(MeterFamilies.text(registry, families).orElseThrow()))
        .isEqualTo(samples(registry.scrape("text/plain; version=0.0.4; charset=utf-8", families)));
  }

  @Test
  void aFamilyOfAnotherKindIsLeftToTheRegistry() {
    Timer.builder("ledger.index.refresh").register(registry);

    assertThat(MeterFamilies.text(registry, Set.of("ledger_index_refresh_seconds"))).isEmpty();
  }

  private static Set<String> samples(String text) {
    return Arrays.stream(text.split("\n"))
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .collect(Collectors.toSet());
  }
}

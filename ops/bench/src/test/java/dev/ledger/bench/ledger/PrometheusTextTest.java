package dev.ledger.bench.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String TEXT =
      """
      # HELP ledger_index_documents_total Records indexed
      # TYPE ledger_index_documents_total counter
      ledger_index_documents_total{application="ledger",topic="ledger.audit"} 1234.0
      ledger_index_documents_total{application="ledger",topic="ledger.tokens"} 56.0
      # TYPE ledger_index_lag gauge
      ledger_index_lag 7.0
      kafka_weird{quote="a \\"b\\" c",topic="ledger.audit"} NaN
      broken_line
      """;

  @Test
  void findsACounterByOneOfItsLabelsAndAGaugeByName() {
    Map<String, Double> m = PrometheusText.parse(TEXT);
    assertThat(m.get(PrometheusText.key("ledger_index_documents_total", "topic", "ledger.audit")))
        .isEqualTo(1234.0);
    assertThat(m.get(PrometheusText.key("ledger_index_documents_total", "topic", "ledger.tokens")))
        .isEqualTo(56.0);
    assertThat(m.get("ledger_index_documents_total")).isEqualTo(1290.0);
    assertThat(m.get("ledger_index_lag")).isEqualTo(7.0);
    assertThat(m.get(PrometheusText.key("kafka_weird", "topic", "ledger.audit"))).isNaN();
    assertThat(m).doesNotContainKey("broken_line");
  }
}

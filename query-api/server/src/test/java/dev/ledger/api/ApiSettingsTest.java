package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    ApiSettings s = ApiSettings.builder().build();
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.maxRequestBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(s.sseKeepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(new ApiSettings("0.0.0.0", 0, 5, Duration.ofSeconds(1)).maxSseClients())
        .isEqualTo(s.maxSseClients());
    assertThat(s.toBuilder().port(0).build().port()).isZero();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                ApiSettings.builder()
                    .port(70000)
                    .maxRequestBytes(0)
                    .sseKeepAlive(Duration.ZERO)
                    .maxSseClients(0)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port")
        .hasMessageContaining("maxRequestBytes")
        .hasMessageContaining("sseKeepAlive")
        .hasMessageContaining("maxSseClients");
  }

  @Test
  void fairSharesAndTimeoutsHaveDefaultsAndAKeepAliveMustBeatTheIdleTimeout() {
    ApiSettings s = ApiSettings.builder().build();
    assertThat(s.maxInFlightWritesPerCredential()).isEqualTo(16);
    assertThat(s.maxSseClientsPerCredential()).isEqualTo(100);
    assertThat(s.maxLongResponses()).isEqualTo(32);
    assertThat(s.maxLongResponsesPerCredential()).isEqualTo(4);
    assertThat(s.requestBodyTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.credentialRecheck()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThatThrownBy(() -> ApiSettings.builder().sseKeepAlive(Duration.ofSeconds(30)).build())
        .hasMessageContaining("sseKeepAlive (PT30S) must be shorter than idleTimeout (PT30S)");
  }
}

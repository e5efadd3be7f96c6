package dev.ledger.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationSettingsTest {

  @Test
  void defaultsAreUsableOnceTheConnectionIsGiven() {
    RevocationSettings kafka = RevocationSettings.builder().bootstrapServers("k:9092").build();
    assertThat(kafka.problemsForKafka()).isEmpty();
    assertThat(kafka.topic()).isEqualTo("ledger.revocations");
    assertThat(kafka.failClosed()).isTrue();
    RevocationSettings sse = RevocationSettings.builder().baseUrl("https://ledger.example:8443/").bearerToken("k-1").build();
    assertThat(sse.problemsForSse()).isEmpty();
    assertThat(sse.streamUri()).hasToString("https://ledger.example:8443/v1/revocations/stream");
  }

  @Test
  void theStreamUriNamesTheTenant() {
    RevocationSettings s = RevocationSettings.builder().baseUrl("http://127.0.0.1:8080").bearerToken("k").tenant("acme").build();
    assertThat(s.streamUri()).hasToString("http://127.0.0.1:8080/v1/revocations/stream?tenant=acme");
    assertThat(s.tenantFilter()).isEqualTo("acme");
    assertThat(RevocationSettings.builder().tenant("*").build().tenantFilter()).isNull();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    RevocationSettings bad = RevocationSettings.builder()
        .baseUrl("ftp://x").bearerToken("has space").tenant("a/b")
        .reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
        .sseQuietPeriod(Duration.ZERO).clientName(" ").build();
    assertThat(bad.problemsForSse()).containsExactlyInAnyOrder(
        "tenant must be 1..128 of A-Z a-z 0-9 . _ - (or *): a/b",
        "reconnectBackoffMin must not exceed reconnectBackoffMax",
        "clientName must not be empty",
        "baseUrl must be an absolute http or https URL without query: ftp://x",
        "bearerToken must be printable ASCII without spaces",
        "sseQuietPeriod must be a positive duration");
    assertThat(RevocationSettings.builder().topic("").partitionRecheck(Duration.ofSeconds(-1)).build().problemsForKafka())
        .containsExactlyInAnyOrder("bootstrapServers is required for a Kafka source", "topic must not be empty",
            "partitionRecheck must be a positive duration");
  }

  @Test
  void theFactoriesRefuseBadSettingsWithEveryProblem() {
    assertThatThrownBy(() -> RevocationSubscriber.sse(RevocationSettings.builder().build()))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
            .containsExactlyInAnyOrder("baseUrl is required for an SSE source", "bearerToken is required for an SSE source"));
    assertThatThrownBy(() -> RevocationSubscriber.kafka(RevocationSettings.builder().build()))
        .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("bootstrapServers is required");
  }

  @Test
  void consumerPropertiesKafkaRefusesAreInvalidSettings() {
    RevocationSettings settings = RevocationSettings.builder().bootstrapServers("127.0.0.1:9")
        .consumerConfig("security.protocol", "NOPE").build();
    assertThatThrownBy(() -> RevocationSubscriber.kafka(settings))
        .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("consumerConfig is not accepted by Kafka");
  }
}

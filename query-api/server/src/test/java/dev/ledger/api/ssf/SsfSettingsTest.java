package dev.ledger.api.ssf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SsfSettingsTest {

  @Test
  void defaultsAreThoseOfContractSectionSix() {
    SsfSettings s = SsfSettings.builder(Path.of("keys")).build();
    assertThat(s.defaultSubjects()).isEqualTo("ALL");
    assertThat(s.pushMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxStreamsPerReceiver()).isEqualTo(100);
    assertThat(s.issuerUrl()).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                SsfSettings.builder(null)
                    .defaultSubjects("SOME")
                    .pushBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                    .pushTimeout(Duration.ZERO)
                    .maxStreamsPerReceiver(0)
                    .minVerificationInterval(Duration.ofMillis(1500))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid SSF settings: ")
        .hasMessageContaining("keyDir is required")
        .hasMessageContaining("defaultSubjects must be ALL or NONE, not SOME")
        .hasMessageContaining("pushMaxBackoff must not be shorter than pushMinBackoff")
        .hasMessageContaining("pushTimeout must be > 0")
        .hasMessageContaining("maxStreamsPerReceiver must be positive, was 0")
        .hasMessageContaining("minVerificationInterval must be zero or a whole number of seconds");
  }
}

package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsCheckTest {

  @Test
  void everyInvalidValueIsReportedInOneException() {
    assertThatThrownBy(
            () ->
                new SettingsCheck("test settings")
                    .requireText("host", " ")
                    .require("dir", null)
                    .positive("threads", 0)
                    .atLeast("standbys", -1, 0)
                    .positive("interval", Duration.ZERO)
                    .notNegative("retention", Duration.ofSeconds(-1), "forever")
                    .check(false, "a rule of its own")
                    .throwIfAny())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid test settings: host is required; dir is required; threads must be positive,"
                + " was 0; standbys must be >= 0, was -1; interval must be > 0; retention must be"
                + " >= 0 (0 = forever); a rule of its own");
  }

  @Test
  void validValuesPass() {
    assertThatCode(
            () ->
                new SettingsCheck("test settings")
                    .requireText("host", "h")
                    .require("dir", "d")
                    .positive("threads", 1)
                    .atLeast("standbys", 0, 0)
                    .positive("interval", Duration.ofMillis(1))
                    .notNegative("retention", Duration.ZERO, null)
                    .check(true, "never")
                    .throwIfAny())
        .doesNotThrowAnyException();
  }
}

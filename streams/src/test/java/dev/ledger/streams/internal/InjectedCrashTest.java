package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InjectedCrashTest {

  @Test
  void throwsOnceAtEachListedEventAndNeverByDefault() {
    InjectedCrash crash = new InjectedCrash(List.of(4L, 2L));
    assertThatCode(crash::onEvent).doesNotThrowAnyException();
    assertThatThrownBy(crash::onEvent)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("injected stream-thread crash at event 2");
    assertThatCode(crash::onEvent)
        .as("the event again, after the crash")
        .doesNotThrowAnyException();
    assertThatThrownBy(crash::onEvent).hasMessageContaining("at event 4");
    for (int i = 0; i < 100; i++) {
      crash.onEvent();
      InjectedCrash.NONE.onEvent();
    }
  }
}

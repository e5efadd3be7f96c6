package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventParserTest {

  private final List<SseEvent> events = new ArrayList<>();
  private final List<String> comments = new ArrayList<>();
  private final List<Long> retries = new ArrayList<>();
  private final SseEventParser parser =
      new SseEventParser(
          new SseEventParser.Handler() {
            @Override
            public void accept(SseEvent e) {
              events.add(e);
            }

            @Override
            public void comment(String text) {
              comments.add(text);
            }

            @Override
            public void retry(long millis) {
              retries.add(millis);
            }
          });

  private void feed(String... lines) {
    for (String l : lines) {
      parser.line(l);
    }
  }

  @Test
  void dispatchesOnBlankLineWithIdTypeAndData() {
    feed("id: 7", "event: revocation", "data: {\"a\":1}", "");
    assertThat(events).containsExactly(new SseEvent("7", "revocation", "{\"a\":1}"));
  }

  @Test
  void joinsDataLinesAndDropsOnlyOneLeadingSpace() {
    feed("data:one", "data:  two", "data", "");
    assertThat(events).containsExactly(new SseEvent(null, "message", "one\n two\n"));
  }

  @Test
  void commentsAndRetryAreReportedNotDispatched() {
    feed(": keep-alive", "retry: 2500", "retry: soon", "");
    assertThat(events).isEmpty();
    assertThat(comments).containsExactly(" keep-alive");
    assertThat(retries).containsExactly(2500L);
  }

  @Test
  void anEventWithoutDataIsNotDispatchedAndFieldsDoNotLeakIntoTheNext() {
    feed("id: 1", "event: tombstone", "", "data: x", "");
    assertThat(events).containsExactly(new SseEvent(null, "message", "x"));
  }

  @Test
  void resetDropsAHalfReceivedEvent() {
    feed("id: 9", "event: revocation", "data: {");
    parser.reset();
    feed("id: 10", "data: y", "");
    assertThat(events).containsExactly(new SseEvent("10", "message", "y"));
  }

  @Test
  void ignoresUnknownFieldsAndIdsWithNul() {
    feed("foo: bar", "id: a\0b", "data: z", "");
    assertThat(events).containsExactly(new SseEvent(null, "message", "z"));
  }
}

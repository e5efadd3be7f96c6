package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A push stream's delivery figures are the deployment's: an instance that does not push takes the
 * pusher's published figures whole, and the next pusher counts on from them, including the previous
 * pusher's last figures when they come after it started.
 */
class PushStateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode published(PushState state) {
    return JSON.valueToTree(state.describe());
  }

  @Test
  void anInstanceThatDoesNotPushAnswersWithThePushersFigures() {
    PushState pusher = new PushState();
    pusher.delivered();
    pusher.delivered();
    pusher.deadLettered("s:0:7");
    pusher.failed("HTTP 503", Instant.parse("2026-12-06T03:00:00Z"));
    PushState other = new PushState();
    other.delivered(); // what it counted when it pushed, long ago: replaced

    other.replaceWith(published(pusher));

    assertThat(other.describe()).isEqualTo(pusher.describe());
  }

  @Test
  void theNextPusherCountsOnFromThePreviousOnesLastFiguresEvenWhenTheyComeLate() {
    PushState previous = new PushState();
    previous.delivered();
    previous.delivered();
    PushState next = new PushState();
    next.replaceWith(published(previous)); // 2, published a second before the hand-over
    previous.delivered();
    previous.deadLettered("s:0:9"); // its last figures: 3 and 1, published as it hands over
    long before = next.version();

    next.delivered(); // the new pusher has started before they reached it
    next.countOnFrom(published(previous));
    next.countOnFrom(JSON.valueToTree(Map.of("delivered", 1, "dead_lettered", 0)));

    assertThat(next.describe())
        .containsEntry("delivered", 4L)
        .containsEntry("dead_lettered", 1L)
        .containsEntry("dead_lettered_jtis", List.of("s:0:9"));
    assertThat(next.version()).as("changed: to be published again").isGreaterThan(before);
  }
}

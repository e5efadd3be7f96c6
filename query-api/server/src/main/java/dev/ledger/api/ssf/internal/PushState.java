package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a push stream's delivery goes, for its status: delivered, failing since when, dead-lettered
 * SETs. The figures are the deployment's, not one instance's: the instance that pushes the stream
 * publishes them (see {@link Deliveries}), every other one {@linkplain #replaceWith takes them in},
 * and the one that takes the stream over counts on from them.
 */
public final class PushState {
  private static final int KEEP = 20;

  private long delivered;
  private long deadLettered;
  private Instant failingSince;
  private String lastError;
  private final Deque<String> recentDeadLetters = new ArrayDeque<>();

  /** Bumped on every change, so that the publisher knows when there is something new. */
  private long version;

  /** The counts as last taken in from another instance; what this one counted is on top. */
  private long baseDelivered;

  private long baseDeadLettered;

  synchronized void delivered() {
    delivered++;
    failingSince = null;
    version++;
  }

  synchronized Instant failed(String error, Instant now) {
    lastError = error;
    if (failingSince == null) {
      failingSince = now;
    }
    version++;
    return failingSince;
  }

  synchronized void deadLettered(String jti) {
    deadLettered++;
    failingSince = null;
    remember(jti);
    version++;
  }

  private void remember(String jti) {
    recentDeadLetters.remove(jti);
    recentDeadLetters.addLast(jti);
    while (recentDeadLetters.size() > KEEP) {
      recentDeadLetters.removeFirst();
    }
  }

  /**
   * @return a number that changes whenever the figures do
   */
  synchronized long version() {
    return version;
  }

  /**
   * Becomes what the pushing instance published ({@link #describe()}'s form): this instance does
   * not push the stream, so that is the whole truth.
   */
  synchronized void replaceWith(JsonNode published) {
    delivered = 0;
    deadLettered = 0;
    failingSince = null;
    lastError = null;
    recentDeadLetters.clear();
    baseDelivered = 0;
    baseDeadLettered = 0;
    takeIn(published, true);
  }

  /**
   * Takes in what the previous pusher published after this instance took the stream over (its last
   * figures, written as it handed the stream over, may come after the new pusher started): what
   * this instance counted since is added to them. An older publication than the one it counts on
   * from is ignored.
   */
  synchronized void countOnFrom(JsonNode published) {
    if (published.path("delivered").asLong() < baseDelivered
        || published.path("dead_lettered").asLong() < baseDeadLettered) {
      return;
    }
    takeIn(published, false);
  }

  private void takeIn(JsonNode published, boolean whole) {
    long d = published.path("delivered").asLong();
    long dl = published.path("dead_lettered").asLong();
    delivered = d + (delivered - baseDelivered);
    deadLettered = dl + (deadLettered - baseDeadLettered);
    baseDelivered = d;
    baseDeadLettered = dl;
    List<String> own = List.copyOf(recentDeadLetters);
    recentDeadLetters.clear();
    published.path("dead_lettered_jtis").forEach(j -> remember(j.asText()));
    own.forEach(this::remember);
    if (whole) {
      // A pusher's own failure state is newer than the previous pusher's.
      failingSince =
          published.hasNonNull("failing_since")
              ? Instant.parse(published.get("failing_since").asText())
              : null;
      lastError = published.hasNonNull("last_error") ? published.get("last_error").asText() : null;
    }
    version++;
  }

  /**
   * @return the status's {@code delivery} member
   */
  public synchronized Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("delivered", delivered);
    out.put("dead_lettered", deadLettered);
    if (!recentDeadLetters.isEmpty()) {
      out.put("dead_lettered_jtis", List.copyOf(recentDeadLetters));
    }
    if (failingSince != null) {
      out.put("failing_since", failingSince.toString());
    }
    if (lastError != null) {
      out.put("last_error", lastError);
    }
    return out;
  }
}

package dev.ledger.api.ssf.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a push stream's delivery goes, for its status: delivered, failing since when, dead-lettered
 * SETs.
 */
public final class PushState {
  private static final int KEEP = 20;

  private long delivered;
  private long deadLettered;
  private Instant failingSince;
  private String lastError;
  private final Deque<String> recentDeadLetters = new ArrayDeque<>();

  synchronized void delivered() {
    delivered++;
    failingSince = null;
  }

  synchronized Instant failed(String error, Instant now) {
    lastError = error;
    if (failingSince == null) {
      failingSince = now;
    }
    return failingSince;
  }

  synchronized void deadLettered(String jti) {
    deadLettered++;
    failingSince = null;
    recentDeadLetters.addLast(jti);
    while (recentDeadLetters.size() > KEEP) {
      recentDeadLetters.removeFirst();
    }
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

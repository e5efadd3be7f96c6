package dev.ledger.ingest;

import java.util.Objects;

/**
 * One thing wrong with a submitted batch.
 *
 * @param index position of the event in the batch (0-based), or -1 for a problem of the whole body
 *     such as unparsable JSON or an empty batch
 * @param field JSON path of the offending field, such as {@code token.scopes[2]} or {@code
 *     occurred_at}; null when the problem is the event (or body) as a whole
 * @param reason readable explanation, never null
 */
public record Problem(int index, String field, String reason) {
  public Problem {
    Objects.requireNonNull(reason, "reason");
  }

  /** A problem of the whole body (index -1, no field). */
  public static Problem ofBody(String reason) {
    return new Problem(-1, null, reason);
  }
}

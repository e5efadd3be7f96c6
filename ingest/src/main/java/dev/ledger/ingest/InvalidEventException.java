package dev.ledger.ingest;

import java.util.List;

/**
 * Thrown by {@link EventJson} (and the client) when an event breaks the contract; carries every
 * problem.
 */
public final class InvalidEventException extends IllegalArgumentException {

  private final transient List<Problem> problems;

  public InvalidEventException(List<Problem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String summary(List<Problem> problems) {
    StringBuilder text = new StringBuilder("invalid event:");
    for (Problem p : problems) {
      text.append(' ')
          .append(p.field() == null ? "(event)" : p.field())
          .append(' ')
          .append(p.reason())
          .append(';');
    }
    return text.toString();
  }
}

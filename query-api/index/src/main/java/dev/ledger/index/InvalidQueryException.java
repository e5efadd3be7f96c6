package dev.ledger.index;

import java.util.List;

/**
 * A query the index cannot answer because of its input: a malformed {@code q} (the message is the
 * Lucene parser's), a malformed or foreign cursor, a limit out of range, {@code from} after {@code
 * to}. Carries every problem found, so the HTTP API can answer one 400 listing them all.
 */
public final class InvalidQueryException extends Exception {

  /**
   * One bad parameter.
   *
   * @param parameter the query parameter's name as in CONTRACT.md ({@code q}, {@code cursor}, ...)
   * @param message why it is wrong
   */
  public record Problem(String parameter, String message) {}

  private final List<Problem> problems;

  /** One problem with {@code parameter}. */
  public InvalidQueryException(String parameter, String message) {
    this(List.of(new Problem(parameter, message)));
  }

  /** Several problems; {@code problems} must not be empty. */
  public InvalidQueryException(List<Problem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** The parameter of the first problem. */
  public String parameter() {
    return problems.get(0).parameter();
  }

  /** Every problem, never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String summary(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidQueryException needs at least one problem");
    }
    StringBuilder b = new StringBuilder();
    for (Problem p : problems) {
      if (!b.isEmpty()) {
        b.append("; ");
      }
      b.append(p.parameter()).append(": ").append(p.message());
    }
    return b.toString();
  }
}

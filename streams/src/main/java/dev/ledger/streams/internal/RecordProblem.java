package dev.ledger.streams.internal;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One way an event breaks the contract.
 *
 * @param code machine-readable reason, e.g. {@code missing_field}; never null
 * @param field the offending field, e.g. {@code token.subject}; null when the whole event is meant
 * @param message what is wrong, for people; never null
 */
public record RecordProblem(String code, String field, String message) {

  public RecordProblem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** The distinct codes, comma-separated: the DLQ reason header. */
  public static String codes(List<RecordProblem> problems) {
    return problems.stream().map(RecordProblem::code).distinct().collect(Collectors.joining(","));
  }

  /** Every problem on one line: the DLQ message header. */
  public static String describe(List<RecordProblem> problems) {
    return problems.stream()
        .map(p -> p.field() == null ? p.message() : p.field() + ": " + p.message())
        .collect(Collectors.joining("; "));
  }
}

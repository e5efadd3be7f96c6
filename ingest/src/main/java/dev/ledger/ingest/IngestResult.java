package dev.ledger.ingest;

import java.util.List;

/**
 * The answer of {@link IngestService#submit}: exactly one of these, never an exception. Each maps
 * to one HTTP status of {@code POST /v1/events} (CONTRACT.md section 4).
 */
public sealed interface IngestResult {

  /** Every event was acknowledged by Kafka (HTTP 202 {@code {"accepted": count}}). */
  record Accepted(int count) implements IngestResult {}

  /**
   * The batch breaks the contract; nothing was written (HTTP 400). Problems are never empty.
   *
   * @param problems the problems listed: at most {@code LedgerLimits.maxProblems()}, in event order
   * @param total how many problems the batch had, at least {@code problems.size()}
   */
  record Invalid(List<Problem> problems, int total) implements IngestResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (total < problems.size()) {
        throw new IllegalArgumentException(
            "total " + total + " < " + problems.size() + " problems listed");
      }
    }

    /** Every problem is listed. */
    public Invalid(List<Problem> problems) {
      this(problems, problems.size());
    }
  }

  /**
   * A valid batch holds events of a tenant the caller may not write; nothing was written (HTTP
   * 403).
   */
  record Forbidden(String message, List<Problem> problems) implements IngestResult {
    public Forbidden {
      problems = List.copyOf(problems);
    }
  }

  /** The Content-Type is missing or not one we read (HTTP 415). */
  record UnsupportedMediaType(String message) implements IngestResult {}

  /** Kafka failed or timed out; nothing became visible to read_committed consumers (HTTP 503). */
  record Unavailable(String message) implements IngestResult {}
}

package dev.ledger.ingest.client;

import dev.ledger.ingest.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A batch the ledger did not take. {@link #retryable()} says whether sending the same events again
 * could succeed ({@link LedgerClient} has already retried those as often as its policy allows).
 */
public final class LedgerClientException extends RuntimeException {

  private final int status;
  private final boolean retryable;
  private final transient List<Problem> problems;
  private final Duration retryAfter;

  /**
   * @param status the HTTP status, or -1 when there was none (Kafka, network)
   * @param retryable whether the same batch may succeed later
   * @param message readable text
   * @param problems the ledger's problems with the batch (400/403), never null
   * @param cause the underlying failure, may be null
   */
  public LedgerClientException(
      int status, boolean retryable, String message, List<Problem> problems, Throwable cause) {
    this(status, retryable, message, problems, cause, Duration.ZERO);
  }

  /**
   * As above, with the least wait the server asked for before a retry (its Retry-After), never
   * null.
   */
  public LedgerClientException(
      int status,
      boolean retryable,
      String message,
      List<Problem> problems,
      Throwable cause,
      Duration retryAfter) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
    this.problems = List.copyOf(problems);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** The least wait the server asked for before a retry; zero when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The HTTP status, or -1 when there was none. */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  /** What the ledger found wrong with the batch; empty when it did not say. */
  public List<Problem> problems() {
    return problems;
  }
}

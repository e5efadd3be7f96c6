package dev.ledger.revocation;

import dev.ledger.revocation.internal.KafkaRevocationSource;
import dev.ledger.revocation.internal.SseRevocationSource;
import java.util.List;

/**
 * Starts a {@link RevocationSource}: {@link #kafka} reads {@code ledger.revocations} directly
 * (every partition from the beginning, no consumer group), {@link #sse} follows the ledger server's
 * {@code /v1/revocations/stream} for servers that do not speak Kafka. Both start a background
 * thread at once and return without waiting; call {@link RevocationSource#awaitCaughtUp} before
 * serving.
 */
public final class RevocationSubscriber {

  private RevocationSubscriber() {}

  /**
   * A source reading Kafka; throws {@link InvalidSettingsException} if {@code settings} cannot work
   * (including consumer properties Kafka refuses). {@code settings} must not be null.
   */
  public static RevocationSource kafka(RevocationSettings settings) {
    check(settings.problemsForKafka());
    return KafkaRevocationSource.start(settings);
  }

  /**
   * A source following the SSE stream; throws {@link InvalidSettingsException} if {@code settings}
   * cannot work. {@code settings} must not be null.
   */
  public static RevocationSource sse(RevocationSettings settings) {
    check(settings.problemsForSse());
    return SseRevocationSource.start(settings);
  }

  private static void check(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
  }
}

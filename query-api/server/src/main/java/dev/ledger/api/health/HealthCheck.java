package dev.ledger.api.health;

/**
 * One part whose readiness {@code GET /health} reports (Kafka, Streams, the index). Called on every
 * health request, from request threads: keep {@link #check()} cheap, thread-safe and non-blocking.
 * An exception thrown by it is reported as {@link HealthReport.State#DOWN} with its message.
 */
public interface HealthCheck {
  /**
   * @return the key under {@code checks} in the health answer, never null
   */
  String name();

  /**
   * @return the part's state now, never null
   */
  HealthReport check();
}

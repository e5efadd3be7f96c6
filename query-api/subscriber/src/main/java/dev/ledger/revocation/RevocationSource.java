package dev.ledger.revocation;

import java.time.Duration;
import java.util.Optional;

/**
 * A local copy of the ledger's live revocations that follows the ledger as it changes. Lookups are
 * answered from memory, without I/O; a background thread keeps the copy current. Get one from
 * {@link RevocationSubscriber}; close it when the server stops.
 *
 * <pre>{@code
 * RevocationSource revocations = RevocationSubscriber.kafka(RevocationSettings.builder()
 *     .bootstrapServers("kafka:9092").build());
 * if (!revocations.awaitCaughtUp(Duration.ofSeconds(30))) { ...refuse to start or report not ready... }
 * if (revocations.isRevoked(tenant, tokenId)) { ...401... }
 * }</pre>
 *
 * <p>A token is revoked if it or any token it was derived from was revoked: the ledger writes a
 * notice for every descendant, so one lookup by the presented token's id is enough. All methods are
 * thread-safe.
 */
public interface RevocationSource extends AutoCloseable {

  /**
   * Whether the token must be refused. Until the bootstrap is complete this is true for every token
   * when the source fails closed (the default). Arguments must not be null; a tenant other than the
   * one the source follows (if it follows one) is an {@link IllegalArgumentException}.
   */
  boolean isRevoked(String tenant, String tokenId);

  /**
   * The live revocation of the token, or empty; not affected by fail-closed. Arguments must not be
   * null.
   */
  Optional<Revocation> lookup(String tenant, String tokenId);

  /** Calls {@code listener} (not null) for every change from now on. */
  void addListener(RevocationListener listener);

  /** Waits until the bootstrap is complete; false if {@code timeout} passed first. */
  boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

  /** Whether the bootstrap is complete: every notice that existed at start has been applied. */
  boolean isCaughtUp();

  /** Notices known to be waiting to be applied; -1 when unknown. */
  long lag();

  /** Health snapshot. */
  SubscriberStatus status();

  /**
   * Stops following and frees the connection. With the in-memory store lookups afterwards answer
   * from the last state; a {@link RevocationSettings.Store#ROCKSDB} store is freed too, and {@code
   * isRevoked} then answers true for every token.
   */
  @Override
  void close();
}

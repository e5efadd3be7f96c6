package dev.ledger.revocation;

import java.time.Instant;

/**
 * A snapshot of a {@link RevocationSource}'s health, for a resource server's own health check.
 *
 * @param caughtUp whether the bootstrap is complete (stays true across later disconnects)
 * @param connected whether the last contact with Kafka or the ledger server succeeded
 * @param lag notices known to be waiting, or -1 when unknown (SSE before catching up or
 *     disconnected)
 * @param revocations live revocations held locally
 * @param applied notices and tombstones applied since start
 * @param skipped records that could not be read (bad key or value) and were skipped
 * @param lastContact last successful contact, or null if none yet
 * @param lastError the last error seen, or null if none since the last success
 */
public record SubscriberStatus(
    boolean caughtUp,
    boolean connected,
    long lag,
    long revocations,
    long applied,
    long skipped,
    Instant lastContact,
    String lastError) {}

package dev.ledger.index;

import dev.ledger.schemas.avro.RevocationNotice;

/**
 * A revocation notice (or tombstone) as indexed, with its place in the index's revocation sequence.
 * Sequences increase strictly, also across restarts and crashes, so an SSE client that reconnects
 * with {@code Last-Event-ID: sequence} gets every later change via {@link
 * LedgerIndex#revocationsAfter(TenantScope, long, int)}; after a crash it may get a change twice
 * (under a new sequence), never miss one.
 *
 * @param sequence position in the revocation sequence, &gt; 0
 * @param notice the notice, or null for a tombstone (the revocation expired and was removed)
 * @param tenant the tenant, never null
 * @param tokenId the revoked token, never null
 */
public record SequencedNotice(
    long sequence, RevocationNotice notice, String tenant, String tokenId) {

  /** True for a tombstone. */
  public boolean isTombstone() {
    return notice == null;
  }
}

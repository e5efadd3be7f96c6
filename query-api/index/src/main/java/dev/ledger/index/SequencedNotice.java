package dev.ledger.index;

import dev.ledger.schemas.avro.RevocationNotice;

/**
 * A revocation notice (or tombstone) as indexed, with the place of the {@code ledger.revocations}
 * record it came from. That place is the topic's, so it means the same at every index instance: an
 * SSE client's {@link RevocationPosition} advanced by it resumes at any of them via {@link
 * LedgerIndex#revocationsAfter(TenantScope, RevocationPosition, int)}.
 *
 * @param partition the record's partition of ledger.revocations, &gt;= 0
 * @param offset the record's offset in that partition, &gt;= 0
 * @param notice the notice, or null for a tombstone (the revocation expired and was removed)
 * @param tenant the tenant, never null
 * @param tokenId the revoked token, never null
 */
public record SequencedNotice(
    int partition, long offset, RevocationNotice notice, String tenant, String tokenId) {

  /** True for a tombstone. */
  public boolean isTombstone() {
    return notice == null;
  }
}

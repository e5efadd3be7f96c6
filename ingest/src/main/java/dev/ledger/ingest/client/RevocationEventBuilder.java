package dev.ledger.ingest.client;

import dev.ledger.schemas.EventType;

/** Builds {@code token.revoked} events; start from {@link Events#revoked}. */
public final class RevocationEventBuilder extends EventBuilder<RevocationEventBuilder> {

  RevocationEventBuilder(String tokenId) {
    super(EventType.REVOKED);
    put(body, "token_id", tokenId);
  }

  public RevocationEventBuilder reason(String reason) {
    return put(body, "reason", reason);
  }

  public RevocationEventBuilder revokedBy(String revokedBy) {
    return put(body, "revoked_by", revokedBy);
  }
}

package dev.ledger.schemas;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * What makes two events the same event (CONTRACT.md section 1, since v1.10): the tenant, the token
 * the event is about and its {@code event_id}. A second event with the same identity changes
 * nothing; the same {@code event_id} on another token is another event. The stream processor's
 * dedupe, the index's audit document ids, the notary's duplicate check, ingest's batch check and
 * the bench's "exactly once" counts all use this one identity.
 *
 * <p>The token is part of it because events are partitioned by {@code tenant/token_id}: an identity
 * without it could only be checked with one more repartition per event.
 *
 * @param tenant the event's tenant
 * @param tokenId the {@code token_id} of its body
 * @param eventId its {@code event_id}
 */
public record EventIdentity(String tenant, String tokenId, String eventId) {

  /**
   * Separates the token id from the event id in {@link #key()}: no id may contain a control
   * character ({@link LedgerIds}), so the key is unambiguous although both ids may contain {@code
   * /}.
   */
  private static final char SEP = '\u0000';

  public EventIdentity {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(eventId, "eventId");
  }

  /** The identity of the event an audit record (or an amendment of it) is about. */
  public static EventIdentity of(AuditRecord record) {
    return new EventIdentity(record.getTenant(), record.getTokenId(), record.getEventId());
  }

  /**
   * The identity of {@code event}; throws {@link IllegalArgumentException} when it has no body
   * (such an event is refused before anything asks for its identity).
   */
  public static EventIdentity of(LedgerEvent event) {
    LedgerKey key = LedgerKey.of(event);
    return new EventIdentity(key.tenant(), key.tokenId(), event.getEventId());
  }

  /** The identity of an event keyed {@code tokenKey} ({@code tenant/token_id}). */
  public static EventIdentity of(String tokenKey, String eventId) {
    LedgerKey key = LedgerKey.parse(tokenKey);
    return new EventIdentity(key.tenant(), key.tokenId(), eventId);
  }

  /**
   * {@code tenant/token_id} + U+0000 + {@code event_id}: one string per identity, for maps, store
   * keys and document ids. Keys of one token share the prefix {@code tenant/token_id} + U+0000.
   */
  public String key() {
    return tenant + "/" + tokenId + SEP + eventId;
  }
}

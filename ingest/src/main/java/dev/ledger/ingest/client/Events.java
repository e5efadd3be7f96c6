package dev.ledger.ingest.client;

import dev.ledger.schemas.EventType;

/**
 * Starting points for the five event types. Required body fields are parameters where every event
 * of the type needs them; the rest are setters, and {@code build()} reports whatever is missing.
 *
 * <pre>{@code
 * LedgerEvent root = Events.issued("tok-root").tenant("acme")
 *     .issuer("https://auth.acme.example").subject("user:dana").actor("agent:travel-planner")
 *     .audience("https://api.flights.example").scopes("flights:search").build();
 * }</pre>
 */
public final class Events {

  private Events() {}

  /** A principal grants a root token (needs issuer, subject, actor, audience, scopes). */
  public static TokenEventBuilder issued(String tokenId) {
    return new TokenEventBuilder(EventType.ISSUED, tokenId, null);
  }

  /**
   * An RFC 8693 exchange mints a child of {@code parentTokenId} (needs issuer, actor, audience,
   * scopes).
   */
  public static TokenEventBuilder exchanged(String tokenId, String parentTokenId) {
    return new TokenEventBuilder(EventType.EXCHANGED, tokenId, parentTokenId);
  }

  /** The holder derived a narrower child offline; fields left out are inherited. */
  public static TokenEventBuilder attenuated(String tokenId, String parentTokenId) {
    return new TokenEventBuilder(EventType.ATTENUATED, tokenId, parentTokenId);
  }

  /** A resource server accepted ({@code allowed = true}) or refused a token. */
  public static UseEventBuilder used(
      String tokenId, String resource, String action, boolean allowed) {
    return new UseEventBuilder(tokenId, resource, action, allowed);
  }

  /** A token (and everything derived from it) is revoked. */
  public static RevocationEventBuilder revoked(String tokenId) {
    return new RevocationEventBuilder(tokenId);
  }
}

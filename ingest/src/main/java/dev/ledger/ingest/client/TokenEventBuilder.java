package dev.ledger.ingest.client;

import dev.ledger.schemas.EventType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code token.issued}, {@code token.exchanged} and {@code token.attenuated} events; start
 * from {@link Events}.
 */
public final class TokenEventBuilder extends EventBuilder<TokenEventBuilder> {

  TokenEventBuilder(EventType type, String tokenId, String parentTokenId) {
    super(type);
    put(body, "token_id", tokenId);
    put(body, "parent_token_id", parentTokenId);
  }

  public TokenEventBuilder issuer(String issuer) {
    return put(body, "issuer", issuer);
  }

  /** The principal on whose behalf (required for {@code token.issued}). */
  public TokenEventBuilder subject(String subject) {
    return put(body, "subject", subject);
  }

  /** Who holds the token. */
  public TokenEventBuilder actor(String actor) {
    return put(body, "actor", actor);
  }

  public TokenEventBuilder audience(String... audience) {
    return audience(Arrays.asList(audience));
  }

  /** Null leaves it out (an attenuation then inherits the parent's). */
  public TokenEventBuilder audience(List<String> audience) {
    return put(body, "audience", audience);
  }

  public TokenEventBuilder scopes(String... scopes) {
    return scopes(Arrays.asList(scopes));
  }

  /** Null leaves it out (an attenuation then inherits the parent's). */
  public TokenEventBuilder scopes(List<String> scopes) {
    return put(body, "scopes", scopes);
  }

  public TokenEventBuilder expiresAt(Instant expiresAt) {
    return put(body, "expires_at", expiresAt);
  }

  /** At most this many uses; null leaves it out. */
  public TokenEventBuilder maxUses(Long maxUses) {
    if (maxUses == null) {
      body.remove("max_uses");
    } else {
      body.put("max_uses", maxUses.longValue());
    }
    return this;
  }

  /** How it was obtained: {@code authorization_code}, {@code client_credentials}, ... */
  public TokenEventBuilder grant(String grant) {
    return put(body, "grant", grant);
  }

  /** Adds one attribute (agent metadata such as {@code agent_model}). */
  public TokenEventBuilder attribute(String key, String value) {
    return putEntry(body, "attributes", key, value);
  }

  /** Replaces every attribute. */
  public TokenEventBuilder attributes(Map<String, String> attributes) {
    return putAll(body, "attributes", attributes);
  }

  public TokenEventBuilder caveats(String... caveats) {
    return caveats(Arrays.asList(caveats));
  }

  /** Caveats of an offline attenuation (Biscuit block, Macaroon caveat), as text. */
  public TokenEventBuilder caveats(List<String> caveats) {
    return put(body, "caveats", caveats);
  }

  /**
   * The transaction id (a Transaction Token's {@code txn}) this token belongs to; its descendants
   * inherit it and every audit record of the chain carries it. Null leaves it out.
   */
  public TokenEventBuilder txn(String txn) {
    return put(body, "txn", txn);
  }

  /**
   * The actor-chain workflow id ({@code acti}), inherited like {@link #txn}. Null leaves it out.
   */
  public TokenEventBuilder acti(String acti) {
    return put(body, "acti", acti);
  }
}

package dev.ledger.ingest.client;

import dev.ledger.schemas.EventType;
import java.util.Map;

/** Builds {@code token.used} events; start from {@link Events#used}. */
public final class UseEventBuilder extends EventBuilder<UseEventBuilder> {

  UseEventBuilder(String tokenId, String resource, String action, boolean allowed) {
    super(EventType.USED);
    put(body, "token_id", tokenId);
    put(body, "resource", resource);
    put(body, "action", action);
    put(body, "outcome", allowed ? "allowed" : "denied");
  }

  /** Who presented the token, where the resource server knows it. */
  public UseEventBuilder actor(String actor) {
    return put(body, "actor", actor);
  }

  public UseEventBuilder reason(String reason) {
    return put(body, "reason", reason);
  }

  public UseEventBuilder requestId(String requestId) {
    return put(body, "request_id", requestId);
  }

  public UseEventBuilder attribute(String key, String value) {
    return putEntry(body, "attributes", key, value);
  }

  public UseEventBuilder attributes(Map<String, String> attributes) {
    return putAll(body, "attributes", attributes);
  }
}

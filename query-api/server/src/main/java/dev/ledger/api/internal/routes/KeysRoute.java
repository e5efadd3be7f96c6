package dev.ledger.api.internal.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.json.ContractJson;
import dev.ledger.export.sign.PublicKeys;
import io.javalin.http.Context;
import java.security.PublicKey;

/**
 * {@code GET /v1/keys}: the notary's public key as a JWK set ({@code {"keys": [jwk]}}, RFC 7517),
 * what an auditor needs to check the signed checkpoint of an export. The set is fixed for the life
 * of the server, so it is built once.
 */
public final class KeysRoute {
  private final ObjectNode keySet;

  /**
   * @param notaryKey the notary's Ed25519 public key; may be null: then the route answers 503
   */
  public KeysRoute(PublicKey notaryKey) {
    this.keySet = notaryKey == null ? null : keySet(notaryKey);
  }

  public void handle(Context ctx) {
    ctx.json(Pages.require(keySet, Pages.NOTARY));
  }

  private static ObjectNode keySet(PublicKey key) {
    ObjectNode set = ContractJson.mapper().createObjectNode();
    try {
      set.putArray("keys").add(ContractJson.mapper().readTree(PublicKeys.jwk(key)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("PublicKeys.jwk wrote JSON that does not parse", e);
    }
    return set;
  }
}

package dev.ledger.bench.revocation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A delegation tree to revoke: a chain ({@code fanout} 1) or a bushy tree, with {@code descendants}
 * tokens below the root. Token {@code i > 0} has parent {@code (i - 1) / fanout}, so depth grows as
 * log(descendants) for bushy trees and equals {@code descendants} for a chain.
 *
 * @param name how the report calls it, e.g. {@code chain of depth 10}
 * @param descendants tokens below the root
 * @param fanout children per token (1 = chain)
 */
public record TreeShape(String name, int descendants, int fanout) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static TreeShape chain(int depth) {
    return new TreeShape("chain of depth " + depth, depth, 1);
  }

  public static TreeShape tree(int descendants) {
    return new TreeShape(
        String.format(Locale.ROOT, "tree of %,d descendants", descendants), descendants, 10);
  }

  /** Tokens in the tree, root included. */
  public int tokens() {
    return descendants + 1;
  }

  /** The parent index of token {@code i > 0}. */
  public int parent(int i) {
    return (i - 1) / fanout;
  }

  /** Depth of the deepest token. */
  public int depth() {
    int depth = 0;
    for (int i = descendants; i > 0; i = parent(i)) {
      depth++;
    }
    return depth;
  }

  /** The id of token {@code i} of the tree with id prefix {@code prefix}. */
  public static String tokenId(String prefix, int i) {
    return prefix + "-" + i;
  }

  /** Contract events issuing the whole tree (root first, then parents before children). */
  public List<String> issueEvents(String prefix, Instant at) {
    List<String> out = new ArrayList<>(tokens());
    for (int i = 0; i <= descendants; i++) {
      ObjectNode token = JSON.createObjectNode();
      token.put("token_id", tokenId(prefix, i));
      token.put("actor", "agent:rv-" + i % 100);
      if (i == 0) {
        token.put("issuer", "https://auth.example");
        token.put("subject", "user:revocation-bench");
        token.putArray("audience").add("https://api.mail.example");
        token.putArray("scopes").add("mail:read").add("mail:send");
        token.put("expires_at", at.plusSeconds(86_400).toString());
      } else {
        token.put("parent_token_id", tokenId(prefix, parent(i)));
      }
      out.add(
          event(
              prefix + "-issue-" + i,
              i == 0 ? EventType.ISSUED.wireName() : EventType.ATTENUATED.wireName(),
              at.plusMillis(i),
              "token",
              token));
    }
    return out;
  }

  /** The contract event revoking the root. */
  public static String revokeRoot(String prefix, Instant at) {
    ObjectNode revocation = JSON.createObjectNode();
    revocation.put("token_id", tokenId(prefix, 0));
    revocation.put("reason", "benchmark");
    revocation.put("revoked_by", "user:admin");
    return event(prefix + "-revoke", EventType.REVOKED.wireName(), at, "revocation", revocation);
  }

  private static String event(
      String id, String type, Instant at, String bodyName, ObjectNode body) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_id", id);
    e.put("type", type);
    e.put("occurred_at", at.toString());
    e.put("tenant", "default");
    e.put("source", "ledger-bench");
    e.set(bodyName, body);
    return e.toString();
  }
}

package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text rendering of API answers: token trees and aligned tables. */
final class Render {

  private Render() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
    return v.asText();
  }

  /**
   * The chain of a token as a tree, root first, with each hop's actor and rights.
   *
   * @param hops the resolved token of each hop (root first; the last is the token itself), or null where unknown
   */
  static void tokenTree(PrintWriter out, JsonNode token, List<JsonNode> hops) {
    out.printf("%s  tenant %s  status %s%s%n", text(token, "token_id"), text(token, "tenant"),
        text(token, "status").toUpperCase(),
        token.path("revoked_at").isNull() || token.path("revoked_at").isMissingNode() ? ""
            : " at " + text(token, "revoked_at") + " (revocation of " + text(token, "revocation_cause") + ")");
    out.printf("on behalf of %s%n", text(token, "principal"));
    JsonNode chain = token.path("chain");
    for (int i = 0; i < chain.size(); i++) {
      JsonNode hop = chain.get(i);
      String indent = "   ".repeat(i);
      out.printf("%s└─ %s  held by %s  (%s)%n", indent, text(hop, "token_id"), text(hop, "actor"), text(hop, "via"));
      JsonNode resolved = i < hops.size() ? hops.get(i) : null;
      if (resolved != null) {
        out.printf("%s     scopes %s; audience %s; expires %s; status %s%s%n", indent, text(resolved, "scopes"),
            text(resolved, "audience"), text(resolved, "expires_at"), text(resolved, "status"),
            resolved.path("violations").isEmpty() ? "" : "; violations " + text(resolved, "violations"));
      }
    }
    out.printf("uses %s%s%n", text(token, "uses"),
        token.path("max_uses").isNull() || token.path("max_uses").isMissingNode() ? "" : " of at most " + text(token, "max_uses"));
    out.printf("violations %s%n", text(token, "violations"));
  }

  /** Prints rows as an aligned table; the first row is the header. */
  static void table(PrintWriter out, List<String[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.min(Math.max(width[i], row[i].length()), 48);
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i].length() > 48 ? row[i].substring(0, 47) + "…" : row[i];
        line.append(i == row.length - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}

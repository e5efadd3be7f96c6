package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text rendering of API answers: token trees and aligned tables. Producers control most of
 * what is shown (principal, actor, resource, reason, ...), so every value goes through {@link
 * #safe}: a crafted actor must not move the cursor, rewrite earlier lines or set the terminal's
 * title.
 */
final class Render {

  private Render() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(safe(x.asText())));
      return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
    return safe(v.asText());
  }

  /**
   * {@code text} with every character a terminal would act on written as {@code \\uXXXX}: the C0
   * and C1 controls and DEL (ESC and CSI start escape sequences; CR and BS overwrite what is shown)
   * and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what
   * is shown. The escape is also valid inside a JSON string, so JSON lines stay JSON.
   */
  static String safe(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe =
          Character.isISOControl(c)
              || (c >= '\u202A' && c <= '\u202E')
              || (c >= '\u2066' && c <= '\u2069');
      if (unsafe && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (unsafe) {
        out.append(String.format("\\u%04X", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Multi-line text (pretty-printed JSON) made {@link #safe} line by line, so its own line breaks
   * stay line breaks; a line break inside a JSON string is already written {@code \n} by Jackson.
   */
  static String safeLines(String text) {
    return text.lines()
        .map(Render::safe)
        .collect(java.util.stream.Collectors.joining(System.lineSeparator()));
  }

  /**
   * The chain of a token as a tree, root first, with each hop's actor and rights.
   *
   * @param hops the resolved token of each hop (root first; the last is the token itself), or null
   *     where unknown
   */
  static void tokenTree(PrintWriter out, JsonNode token, List<JsonNode> hops) {
    out.printf(
        "%s  tenant %s  status %s%s%n",
        text(token, "token_id"),
        text(token, "tenant"),
        text(token, "status").toUpperCase(),
        token.path("revoked_at").isNull() || token.path("revoked_at").isMissingNode()
            ? ""
            : " at "
                + text(token, "revoked_at")
                + " (revocation of "
                + text(token, "revocation_cause")
                + ")");
    out.printf("on behalf of %s%n", text(token, "principal"));
    JsonNode chain = token.path("chain");
    for (int i = 0; i < chain.size(); i++) {
      JsonNode hop = chain.get(i);
      String indent = "   ".repeat(i);
      out.printf(
          "%s└─ %s  held by %s  (%s)%n",
          indent, text(hop, "token_id"), text(hop, "actor"), text(hop, "via"));
      JsonNode resolved = i < hops.size() ? hops.get(i) : null;
      if (resolved != null) {
        out.printf(
            "%s     scopes %s; audience %s; expires %s; status %s%s%n",
            indent,
            text(resolved, "scopes"),
            text(resolved, "audience"),
            text(resolved, "expires_at"),
            text(resolved, "status"),
            resolved.path("violations").isEmpty()
                ? ""
                : "; violations " + text(resolved, "violations"));
      }
    }
    out.printf(
        "uses %s%s%n",
        text(token, "uses"),
        token.path("max_uses").isNull() || token.path("max_uses").isMissingNode()
            ? ""
            : " of at most " + text(token, "max_uses"));
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

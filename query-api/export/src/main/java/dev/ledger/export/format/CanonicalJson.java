package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) serialisation for the JSON the ledger hashes: object members sorted by key (UTF-16
 * code units), no whitespace, strings escaped as ECMAScript's {@code JSON.stringify} does (only
 * {@code "}, {@code \}, and control characters; everything else literal UTF-8). Hashed documents
 * hold only objects, arrays, strings, booleans, null and integers, so number formatting never
 * matters; a fractional number is refused with {@link IllegalArgumentException}.
 */
public final class CanonicalJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** The canonical UTF-8 bytes of {@code node} (not null). */
  public static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical text of {@code node} (not null). */
  public static String string(JsonNode node) {
    // An audit record's JSON is one to two KB: sized once instead of grown three times.
    StringBuilder out = new StringBuilder(2048);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        node.properties().forEach(members::add);
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          quote(members.get(i).getKey(), out);
          out.append(':');
          write(members.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        Iterator<JsonNode> items = node.elements();
        boolean first = true;
        while (items.hasNext()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          write(items.next(), out);
        }
        out.append(']');
      }
      case STRING -> quote(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case NUMBER -> {
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
          throw new IllegalArgumentException(
              "canonical JSON here holds integers only, not " + node);
        }
        out.append(node.longValue());
      }
      default -> throw new IllegalArgumentException("cannot canonicalise a " + node.getNodeType());
    }
  }

  /** Appends {@code s} as a JSON string literal, escaped as RFC 8785 requires. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    int plain = 0;
    while (plain < s.length()
        && s.charAt(plain) >= 0x20
        && s.charAt(plain) != '"'
        && s.charAt(plain) != '\\') {
      plain++;
    }
    // Most strings (ids, times, URLs) need no escape: appended at once, not a char at a time.
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

package dev.ledger.revocation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for the notices of the SSE stream, so that the schemas
 * artifact needs no JSON library. Objects become {@code Map<String, Object>} (insertion ordered),
 * arrays {@code List<Object>}, strings {@code String}, integers {@code Long} (or {@code Double}
 * when too large), other numbers {@code Double}, and {@code true}/{@code false}/{@code null}
 * themselves. Malformed input throws {@link IllegalArgumentException} naming the offset.
 */
final class JsonReader {

  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /** Parses one JSON value that must be an object; {@code text} must not be null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text) {
    JsonReader json = new JsonReader(text);
    json.skipSpace();
    if (json.peek() != '{') {
      throw json.fail("expected an object");
    }
    Object value = json.value(0);
    json.skipSpace();
    if (json.pos != text.length()) {
      throw json.fail("unexpected text after the object");
    }
    return (Map<String, Object>) value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw fail("nested too deeply");
    }
    skipSpace();
    char c = peek();
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw fail("unexpected character");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (opensEmpty('}')) {
      return map;
    }
    do {
      skipSpace();
      if (peek() != '"') {
        throw fail("expected a member name");
      }
      String name = string();
      skipSpace();
      expect(':');
      map.put(name, value(depth + 1));
    } while (!closes('}'));
    return map;
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    if (opensEmpty(']')) {
      return list;
    }
    do {
      list.add(value(depth + 1));
    } while (!closes(']'));
    return list;
  }

  /** Steps over an opening bracket; true if the container is empty (and steps over its end too). */
  private boolean opensEmpty(char close) {
    pos++;
    skipSpace();
    if (peek() == close) {
      pos++;
      return true;
    }
    return false;
  }

  /** After a member or element: true at the closing bracket, false after a comma. */
  private boolean closes(char close) {
    skipSpace();
    char c = next();
    if (c == close) {
      return true;
    }
    if (c != ',') {
      pos--;
      throw fail("expected , or " + close);
    }
    return false;
  }

  private String string() {
    pos++; // the opening quote
    StringBuilder out = null;
    int start = pos;
    while (true) {
      char c = next();
      if (c == '"') {
        return out == null ? text.substring(start, pos - 1) : out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw fail("control character in a string");
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder(text.substring(start, pos - 1));
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          // Surrogate pairs arrive as two escapes and are appended one char each, which joins them.
          case 'u' -> out.append(hex4());
          default -> {
            pos--;
            throw fail("bad escape");
          }
        }
      } else if (out != null) {
        out.append(c);
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw fail("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw fail("bad \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      integral = false;
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
    String n = text.substring(start, pos);
    if (integral && n.length() < 19) {
      return Long.parseLong(n);
    }
    return Double.parseDouble(n);
  }

  private void digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw fail("expected a digit");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw fail("unexpected word");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw fail("expected " + c);
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw fail("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + why);
  }
}

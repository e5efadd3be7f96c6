package dev.ledger.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of bytes, strings and JSON: the moves a hostile or broken producer makes
 * (flipped bits, cut or spliced values, huge lengths, wrong types, lone surrogates, control
 * characters). Every function takes its randomness from the caller, so one seed gives one input.
 */
final class Mutations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Values that sit on a boundary somewhere: empty, huge, negative, unicode corner cases. */
  private static final List<String> SPECIAL_STRINGS =
      List.of(
          "",
          " ",
          "*",
          "/",
          "\\",
          "%",
          "%00",
          "\u0000",
          "\ud800",
          "\udfff\ud800",
          "\u202e",
          "\u001b[31m",
          "=cmd|' /C calc'!A0",
          "../../etc/passwd",
          "null",
          "NaN",
          "-1",
          "9223372036854775808",
          "1e309",
          "2026-13-45T25:61:61Z",
          "0000-00-00T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "tenant/with/slash",
          "a".repeat(300),
          "é".repeat(200),
          "\ud83d\ude00".repeat(50),
          "<script>",
          "' OR 1=1 --");

  private static final int[] SPECIAL_INTS = {
    0,
    -1,
    1,
    2,
    63,
    64,
    65,
    127,
    128,
    255,
    256,
    1024,
    10_000,
    10_001,
    65_536,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE
  };

  private Mutations() {}

  /**
   * A random string: mostly short printable text, sometimes a boundary value or random code points.
   */
  static String string(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> SPECIAL_STRINGS.get(r.nextInt(SPECIAL_STRINGS.size()));
      case 1 -> codePoints(r, r.nextInt(40));
      case 2 -> "x".repeat(r.nextInt(1, 5000));
      default -> ascii(r, r.nextInt(1, 24));
    };
  }

  static String ascii(SplittableRandom r, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) r.nextInt(0x21, 0x7f));
    }
    return s.toString();
  }

  private static String codePoints(SplittableRandom r, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int c =
          switch (r.nextInt(4)) {
            case 0 -> r.nextInt(0, 0x20);
            case 1 -> r.nextInt(0xd800, 0xe000); // lone surrogates
            case 2 -> r.nextInt(0x80, 0x10000);
            default -> r.nextInt(0x20, 0x7f);
          };
      s.append((char) c);
    }
    return s.toString();
  }

  /** A boundary integer, or a random one. */
  static long integer(SplittableRandom r) {
    return r.nextBoolean()
        ? SPECIAL_INTS[r.nextInt(SPECIAL_INTS.length)]
        : r.nextLong(-1_000_000, 1_000_000);
  }

  /** Any JSON value, at most {@code depth} levels deep. */
  static JsonNode anyJson(SplittableRandom r, int depth) {
    int kind = r.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(r.nextBoolean());
      case 2 -> NODES.numberNode(integer(r));
      case 3 -> NODES.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(-5, 30)));
      case 4, 5 -> NODES.textNode(string(r));
      case 6 -> {
        ArrayNode a = NODES.arrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(anyJson(r, depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          o.set(ascii(r, r.nextInt(1, 8)), anyJson(r, depth - 1));
        }
        yield o;
      }
    };
  }

  /**
   * Mutates a JSON event in place, {@code moves} times: removes, retypes, replaces or adds a field
   * at any depth.
   */
  static void json(ObjectNode event, SplittableRandom r, int moves) {
    for (int m = 0; m < moves; m++) {
      List<ObjectNode> objects = new ArrayList<>();
      collectObjects(event, objects);
      ObjectNode target = objects.get(r.nextInt(objects.size()));
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      String name = names.isEmpty() ? ascii(r, 5) : names.get(r.nextInt(names.size()));
      switch (r.nextInt(6)) {
        case 0 -> target.remove(name);
        case 1 -> target.set(name, anyJson(r, 2));
        case 2 -> target.put(name, string(r));
        case 3 -> target.set(ascii(r, r.nextInt(1, 10)), anyJson(r, 1));
        case 4 -> target.put(name, integer(r));
        default -> {
          JsonNode old = target.get(name);
          if (old != null && old.isTextual() && !old.asText().isEmpty()) {
            target.put(name, text(old.asText(), r));
          } else {
            target.set(name, NODES.nullNode());
          }
        }
      }
    }
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> out) {
    if (node instanceof ObjectNode o) {
      out.add(o);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectObjects(it.next(), out);
    }
  }

  /** A small change to a string: a character replaced, cut, doubled or a special value appended. */
  static String text(String s, SplittableRandom r) {
    int at = r.nextInt(s.length());
    return switch (r.nextInt(4)) {
      case 0 -> s.substring(0, at) + (char) r.nextInt(0, 0x10000) + s.substring(at + 1);
      case 1 -> s.substring(0, at);
      case 2 -> s + s;
      default -> s + SPECIAL_STRINGS.get(r.nextInt(SPECIAL_STRINGS.size()));
    };
  }

  /**
   * A mutated copy of {@code bytes}: bits flipped, boundary bytes, cut, spliced, a huge varint, or
   * random.
   */
  static byte[] bytes(byte[] bytes, SplittableRandom r) {
    byte[] b = bytes.clone();
    if (b.length == 0) {
      return random(r, r.nextInt(64));
    }
    switch (r.nextInt(7)) {
      case 0 -> {
        int flips = r.nextInt(1, 5);
        for (int i = 0; i < flips; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 ->
          b[r.nextInt(b.length)] =
              (byte) new int[] {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe}[r.nextInt(6)];
      case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 3 -> {
        // A length or count of Avro's zig-zag varints set huge or negative, past the header.
        byte[] varint =
            r.nextBoolean()
                ? new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}
                : new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        int at = b.length > 10 ? r.nextInt(10, b.length) : r.nextInt(b.length);
        b = splice(b, at, varint, r.nextBoolean() ? varint.length : 1);
      }
      case 4 -> {
        int at = r.nextInt(b.length);
        b = splice(b, at, random(r, r.nextInt(1, 32)), 0);
      }
      case 5 -> {
        // A second copy of a tail: a record with trailing bytes, or repeated collections.
        int at = r.nextInt(b.length);
        b = splice(b, b.length, java.util.Arrays.copyOfRange(b, at, b.length), 0);
      }
      default -> b = random(r, r.nextInt(200));
    }
    return b;
  }

  /** {@code into} with {@code cut} bytes at {@code at} replaced by {@code insert}. */
  private static byte[] splice(byte[] into, int at, byte[] insert, int cut) {
    int end = Math.min(into.length, at + cut);
    byte[] out = new byte[at + insert.length + into.length - end];
    System.arraycopy(into, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(into, end, out, at + insert.length, into.length - end);
    return out;
  }

  static byte[] random(SplittableRandom r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }
}

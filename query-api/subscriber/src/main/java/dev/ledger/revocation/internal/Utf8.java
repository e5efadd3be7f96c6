package dev.ledger.revocation.internal;

/**
 * UTF-8 encoding into a caller's array, byte for byte what {@code String.getBytes(UTF_8)} gives (an
 * unpaired surrogate becomes {@code ?}), without the intermediate array that method allocates.
 */
final class Utf8 {

  private Utf8() {}

  /**
   * Writes {@code s} to {@code out} from {@code at}; returns the index after the last byte. {@code
   * out} must have room for {@code 3 * s.length()} bytes from {@code at}.
   */
  static int encode(String s, byte[] out, int at) {
    int n = at;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xc0 | c >> 6);
        out[n++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[n++] = (byte) (0xf0 | cp >> 18);
        out[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[n++] = (byte) (0x80 | cp & 0x3f);
      } else if (Character.isSurrogate(c)) {
        out[n++] = '?';
      } else {
        out[n++] = (byte) (0xe0 | c >> 12);
        out[n++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[n++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return n;
  }
}

package dev.ledger.export.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two hash functions of an RFC 9162 Merkle tree (section 2.1.1): a leaf is {@code SHA-256(0x00
 * || data)}, an interior node {@code SHA-256(0x01 || left || right)}. The distinct prefixes keep a
 * leaf from ever being taken for a node (second-preimage resistance).
 *
 * <p>All methods are thread-safe; arguments must not be null and results are fresh arrays.
 */
public final class Hashes {

  /** Length of every hash in bytes. */
  public static final int SIZE = 32;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has SHA-256", e);
            }
          });
  private static final HexFormat HEX = HexFormat.of();

  private Hashes() {}

  /** The hash of an empty tree: {@code SHA-256()} of nothing. */
  public static byte[] empty() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest();
  }

  /** The leaf hash of {@code data}. */
  public static byte[] leaf(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update((byte) 0x00);
    md.update(data);
    return md.digest();
  }

  /** The hash of an interior node with children {@code left} and {@code right}. */
  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** Plain SHA-256, for identifiers that are not tree hashes. */
  public static byte[] sha256(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(data);
  }

  /** Lower-case hex, the form every hash takes in files and exports. */
  public static String hex(byte[] hash) {
    return HEX.formatHex(hash);
  }

  /**
   * Parses a hex hash; throws {@link IllegalArgumentException} unless it is exactly {@link #SIZE}
   * bytes of hex.
   */
  public static byte[] unhex(String hex) {
    if (hex == null || hex.length() != 2 * SIZE) {
      throw new IllegalArgumentException("not a 32-byte hex hash: " + hex);
    }
    return HEX.parseHex(hex);
  }
}

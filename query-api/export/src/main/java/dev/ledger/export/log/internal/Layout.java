package dev.ledger.export.log.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the integrity log keeps what, and the arithmetic of its fixed-size files. One directory
 * per tenant under {@code tenants/}, holding:
 * <ul>
 *   <li>{@code records.ndjson}: the leaf data of every leaf, one line each, in leaf order;
 *   <li>{@code index.bin}: 24 bytes per leaf, big-endian: end offset of its line in
 *       {@code records.ndjson}, committed-at epoch millis, 64-bit hash of its event id;
 *   <li>{@code tree.bin}: every perfect subtree hash (32 bytes) in the order the tree creates
 *       them, so leaf L is followed by the nodes it completes: position of node (level j, index
 *       i) is {@code 2L - popcount(L) + j} with {@code L = ((i + 1) << j) - 1};
 *   <li>{@code checkpoints.ndjson}: the signed checkpoints, oldest first.
 * </ul>
 */
public final class Layout {

  public static final String STATE = "state.json";
  public static final String LOCK = ".lock";
  public static final String TENANTS = "tenants";
  public static final String RECORDS = "records.ndjson";
  public static final String INDEX = "index.bin";
  public static final String TREE = "tree.bin";
  public static final String CHECKPOINTS = "checkpoints.ndjson";
  public static final int INDEX_ENTRY = 24;
  public static final int HASH = 32;

  private Layout() {}

  /** The directory of {@code tenant}: {@code t-} and the tenant, any byte outside {@code A-Za-z0-9._-} as {@code %XX}. */
  public static Path tenantDir(Path root, String tenant) {
    StringBuilder name = new StringBuilder("t-");
    for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
        name.append(c);
      } else {
        name.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return root.resolve(TENANTS).resolve(name.toString());
  }

  /** Byte position in {@code tree.bin} of the perfect subtree at {@code level}, {@code index}. */
  public static long treePosition(int level, long index) {
    long lastLeaf = ((index + 1) << level) - 1;
    return (2 * lastLeaf - Long.bitCount(lastLeaf) + level) * HASH;
  }

  /** Length of {@code tree.bin} for a tree of {@code size} leaves. */
  public static long treeLength(long size) {
    return (2 * size - Long.bitCount(size)) * HASH;
  }
}

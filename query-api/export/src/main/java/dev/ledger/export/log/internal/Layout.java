package dev.ledger.export.log.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where the integrity log keeps what, and the arithmetic of its fixed-size files. One directory per
 * tenant under {@code tenants/}, holding:
 *
 * <ul>
 *   <li>{@code records.ndjson}: the leaf data of every leaf, one line each, in leaf order;
 *   <li>{@code index.bin}: 24 bytes per leaf, big-endian: end offset of its line in {@code
 *       records.ndjson}, committed-at epoch millis, 64-bit hash of its event id;
 *   <li>{@code tree.bin}: every perfect subtree hash (32 bytes) in the order the tree creates them,
 *       so leaf L is followed by the nodes it completes: position of node (level j, index i) is
 *       {@code 2L - popcount(L) + j} with {@code L = ((i + 1) << j) - 1};
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

  /**
   * The directory of {@code tenant}: {@code t-} and the tenant, any byte outside {@code a-z0-9._-}
   * as {@code %XX}. Capital letters are encoded too, so that tenants differing only in case ({@code
   * ACME}, {@code acme}) get names that differ on a case-insensitive file system as well (macOS,
   * Windows): there one tenant's log would otherwise truncate the other's.
   */
  public static Path tenantDir(Path root, String tenant) {
    return root.resolve(TENANTS).resolve(dirName(tenant, false));
  }

  /**
   * Moves the directory of {@code tenant} from its name before capitals were encoded (layout of
   * ledger versions before 2026-12) to {@link #tenantDir}; does nothing when there is none.
   */
  public static void migrateLegacyDir(Path root, String tenant) throws IOException {
    Path legacy = root.resolve(TENANTS).resolve(dirName(tenant, true));
    Path current = tenantDir(root, tenant);
    if (!legacy.equals(current) && Files.isDirectory(legacy) && !Files.exists(current)) {
      Files.move(legacy, current, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(current.getParent());
    }
  }

  /**
   * Forces a directory's entries to disk, so a file renamed into it survives a power loss (the
   * rename itself lives in the directory, not in the file). Best effort where the platform cannot
   * open a directory (Windows).
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (java.nio.file.AccessDeniedException | UnsupportedOperationException e) {
      // Not supported for directories here; the rename is as durable as the platform makes it.
    }
  }

  private static String dirName(String tenant, boolean keepCapitals) {
    StringBuilder name = new StringBuilder("t-");
    for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (keepCapitals && c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '_'
          || c == '-') {
        name.append(c);
      } else {
        name.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return name.toString();
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

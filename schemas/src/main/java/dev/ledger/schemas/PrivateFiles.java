package dev.ledger.schemas;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read, created so from the start: a key written first
 * and restricted afterwards is readable by anyone for that moment. The data directory is 0700 and
 * every secret in it 0600. On a file system without POSIX permissions (Windows) the files get the
 * directory's default protection.
 */
public final class PrivateFiles {

  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * Creates {@code dir} and any missing parent as 0700, or makes an existing {@code dir} 0700 (a
   * data directory made by an earlier version, 0755). Its subdirectories keep whatever they have:
   * nobody else can reach them.
   */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      if (posix(dir)) {
        Files.setPosixFilePermissions(dir, OWNER_DIR);
      }
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && posix(parent)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Creates {@code file} empty and 0600 from the start.
   *
   * @throws FileAlreadyExistsException when it exists
   */
  public static void createFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    FileAttribute<?>[] attributes =
        parent != null && posix(parent)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    Files.createFile(file, attributes);
  }

  /** Creates {@code file} 0600 and writes {@code text} (UTF-8) into it; it must not exist. */
  public static void writeNew(Path file, String text) throws IOException {
    createFile(file);
    Files.writeString(file, text);
  }

  private static boolean posix(Path existing) throws IOException {
    Path p = existing;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null && Files.getFileStore(p).supportsFileAttributeView("posix");
  }
}

package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir Path tmp;

  @Test
  void directoriesAre0700AndAnOldDataDirectoryIsTightened() throws Exception {
    Path data = tmp.resolve("a").resolve("data");
    PrivateFiles.createDirectories(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    Path old =
        Files.createDirectory(
            tmp.resolve("old"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    PrivateFiles.createDirectories(old);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old)))
        .isEqualTo("rwx------");
  }

  @Test
  void filesAre0600FromTheStart() throws Exception {
    Path key = tmp.resolve("admin.key");
    PrivateFiles.writeNew(key, "secret\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).isEqualTo("secret\n");
    assertThatThrownBy(() -> PrivateFiles.writeNew(key, "other"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(key)).isEqualTo("secret\n");
  }
}

package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.Revocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the RocksDB store does; the rest is {@link RevocationStoreContractTest}. */
class RocksDbRevocationStoreTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void startsEmptyInAGivenDirectoryAndLeavesOtherFilesAlone() throws Exception {
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "mine");
    try (RocksDbRevocationStore first = RocksDbRevocationStore.open(dir)) {
      first.put(new Revocation("t", "a", AT, "a", null));
      assertThat(first.contains("t", "a")).isTrue();
    }
    assertThat(dir.resolve("CURRENT")).as("a given directory is kept after close").exists();
    try (RocksDbRevocationStore second = RocksDbRevocationStore.open(dir)) {
      assertThat(second.contains("t", "a"))
          .as("the topic is read again from the beginning")
          .isFalse();
      assertThat(second.size()).isZero();
    }
    assertThat(foreign).hasContent("mine");
  }

  @Test
  void aTemporaryDirectoryIsDeletedOnClose() {
    RocksDbRevocationStore store = RocksDbRevocationStore.open(null);
    Path created = store.directory();
    assertThat(created).isDirectory();
    store.put(new Revocation("t", "a", AT, "a", null));
    store.close();
    assertThat(created).doesNotExist();
  }

  @Test
  void aClosedStoreFailsClosed() {
    RocksDbRevocationStore store = RocksDbRevocationStore.open(null);
    store.close();
    assertThat(store.contains("t", "never-revoked")).isTrue();
    assertThat(store.get("t", "never-revoked")).isNull();
    store.put(
        new Revocation(
            "t", "late", AT, "late", null)); // a straggling writer must not crash the JVM
    assertThat(store.remove("t", "late")).isFalse();
  }

  @Test
  void aDirectoryInUseIsAClearSettingsError() {
    try (RocksDbRevocationStore store = RocksDbRevocationStore.open(dir)) {
      assertThatThrownBy(() -> RocksDbRevocationStore.open(dir))
          .isInstanceOfSatisfying(
              InvalidSettingsException.class,
              e ->
                  assertThat(e.problems())
                      .singleElement()
                      .asString()
                      .startsWith("storeDirectory " + dir + " cannot hold a RocksDB store: ")
                      .endsWith("(is another source using it?)"));
      assertThat(store.contains("t", "a")).isFalse();
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAClearSettingsError() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> RocksDbRevocationStore.open(file.resolve("sub")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("storeDirectory cannot be created");
  }
}

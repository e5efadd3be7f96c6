package dev.ledger.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallFilesystemTest {

  @TempDir Path dir;

  private final List<List<String>> ran = new ArrayList<>();

  private SmallFilesystem.Runner answering(int exitCode, String output) {
    return command -> {
      ran.add(command);
      return new SmallFilesystem.Result(exitCode, output);
    };
  }

  @Test
  void aRefusedMountIsAClearErrorNamingTheDirectoryAndWhatMountSaid() {
    Path kafka = dir.resolve("data/kafka");

    assertThatThrownBy(
            () ->
                SmallFilesystem.mount(kafka, 40, answering(32, "mount: /x: permission denied.\n")))
        .isInstanceOf(SmallFilesystem.Refused.class)
        .hasMessageContaining("--fault kafka_disk_full")
        .hasMessageContaining("40 MB tmpfs on " + kafka)
        .hasMessageContaining("needs root")
        .hasMessageContaining("mount said: mount: /x: permission denied.)");
    assertThat(Files.isDirectory(kafka)).as("the mount point is made first").isTrue();
  }

  @Test
  void aMissingMountCommandIsRefusedToo() {
    // No mount binary: the runner reports it as a failed command, not a stack trace.
    assertThatThrownBy(
            () ->
                SmallFilesystem.mount(dir, 40, answering(127, "mount: No such file or directory")))
        .isInstanceOf(SmallFilesystem.Refused.class)
        .hasMessageContaining("No such file or directory");
  }

  @Test
  void mountsGrowsAndUnmountsOnceWithTheSizesAsked() throws Exception {
    try (SmallFilesystem fs = SmallFilesystem.mount(dir, 40, answering(0, ""))) {
      fs.grow(4096);
    }
    assertThat(ran)
        .containsExactly(
            List.of("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", dir.toString()),
            List.of("mount", "-o", "remount,size=4096m", dir.toString()),
            List.of("umount", dir.toString()));
  }

  @Test
  void aFailedGrowIsAnIoErrorWithWhatMountSaid() throws Exception {
    SmallFilesystem.Runner runner =
        command ->
            command.contains("remount,size=4096m")
                ? new SmallFilesystem.Result(1, "mount: bad option")
                : new SmallFilesystem.Result(0, "");
    try (SmallFilesystem fs = SmallFilesystem.mount(dir, 40, runner)) {
      assertThatThrownBy(() -> fs.grow(4096))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("mount: bad option");
    }
  }
}

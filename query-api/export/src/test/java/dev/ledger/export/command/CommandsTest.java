package dev.ledger.export.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

  @TempDir Path data;

  private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(messages, true, StandardCharsets.UTF_8);

  private void fill(int n) throws IOException {
    try (IntegrityLog log =
        IntegrityLog.open(
            data.resolve(IntegrityLog.DIRECTORY),
            NotaryKey.loadOrCreate(data),
            new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1))) {
      for (int i = 0; i < n; i++) {
        log.append(TestRecords.avro("acme", i));
      }
      log.commit(Map.of());
      log.checkpoint("acme");
    }
  }

  @Test
  void exportThenVerifyThroughTheCommands() throws IOException {
    fill(12);
    Path file = data.resolve("acme.ndjson");
    assertThat(ExportCommand.run(data, "acme", null, null, "ndjson", null, file, null, print))
        .isEqualTo(ExportCommand.OK);
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .contains("exporting 12 records of acme")
        .contains("exported 12/12 (100%)");
    assertThat(Files.exists(data.resolve("acme.ndjson.partial"))).isFalse();
    messages.reset();
    assertThat(VerifyCommand.run(file, null, data.resolve(NotaryKey.PUBLIC_PEM_FILE), null, print))
        .isEqualTo(VerifyCommand.OK);
    assertThat(messages.toString(StandardCharsets.UTF_8)).contains("OK: 12 records of tenant acme");

    List<String> lines = Files.readAllLines(file);
    lines.remove(5);
    Files.write(file, lines);
    messages.reset();
    assertThat(VerifyCommand.run(file, data.resolve(NotaryKey.PUBLIC_JWK_FILE), null, null, print))
        .isEqualTo(VerifyCommand.INVALID);
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .contains("FAILED")
        .contains("record missing: leaf 4 between line 5 and 6");
  }

  @Test
  void badArgumentsAreMessagesNotExceptions() throws IOException {
    assertThat(
            ExportCommand.run(
                data, "acme", "yesterday", null, "pdf", null, null, System.out, print))
        .isEqualTo(ExportCommand.FAILED);
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .contains("from: not an RFC 3339")
        .contains("format: must be one of");
    messages.reset();
    assertThat(ExportCommand.run(data, "acme", null, null, null, null, null, System.out, print))
        .isEqualTo(ExportCommand.FAILED);
    assertThat(messages.toString(StandardCharsets.UTF_8))
        .contains("no signed checkpoint for tenant acme");
    Path junk = Files.writeString(data.resolve("junk.pem"), "junk");
    assertThat(VerifyCommand.run(data.resolve("x"), junk, null, null, print))
        .isEqualTo(VerifyCommand.FAILED);
  }

  @Test
  void exportToStandardOutput() throws IOException {
    fill(3);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    assertThat(ExportCommand.run(data, "acme", null, null, "csv", null, null, stdout, print))
        .isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8).split("\r\n")).hasSize(4);
  }
}

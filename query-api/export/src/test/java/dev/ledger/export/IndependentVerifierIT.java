package dev.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ManualClock;
import dev.ledger.export.testing.TestRecords;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format is verifiable without the ledger's code: tools/verify_export.py, written from
 * docs/exports.md in another language, accepts an export and rejects a tampered one. Skipped where
 * python3 with the 'cryptography' package is not installed.
 */
class IndependentVerifierIT {

  private static final Path SCRIPT = Path.of("tools", "verify_export.py");

  @TempDir Path dir;

  record Run(int exit, String output) {}

  private static Run python(Path... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("python3", SCRIPT.toString()));
    for (Path a : args) {
      command.add(a.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private static boolean pythonWithCryptography() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import cryptography")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void aSecondImplementationAgrees() throws Exception {
    assumeTrue(pythonWithCryptography(), "python3 with the cryptography package is not installed");
    NotaryKey key = NotaryKey.loadOrCreate(dir);
    try (IntegrityLog log =
        IntegrityLog.open(
            dir.resolve("integrity"),
            key,
            new ManualClock(Instant.parse("2026-11-20T10:00:00Z"), 1))) {
      for (int i = 0; i < 77; i++) {
        log.append(TestRecords.avro("acme", i));
        if (i == 20) {
          log.commit(Map.of());
          log.checkpoint("acme").orElseThrow();
        }
      }
      log.commit(Map.of());
      log.checkpoint("acme");
    }
    Checkpoint previous =
        Verifier.readCheckpoint(writeCheckpoint(dir.resolve("previous.json"), key, 21));
    Path export = dir.resolve("acme.ndjson");
    try (OutputStream out = Files.newOutputStream(export)) {
      new Exporter(dir.resolve("integrity"))
          .prepare(ExportRequest.parse("acme", null, null, "ndjson", "21"))
          .writeTo(out, ProgressListener.NONE);
    }
    Path pem = dir.resolve(NotaryKey.PUBLIC_PEM_FILE);
    Path previousFile = dir.resolve("previous.json");
    Run ok = python(export, pem, previousFile);
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).startsWith("OK: 77 records, tree_size 77");
    assertThat(Verifier.verify(export, key.publicKey(), previous, null).ok()).isTrue();

    List<String> lines = Files.readAllLines(export);
    lines.set(9, lines.get(9).replace("user:dana", "user:mallory"));
    Path tampered = Files.write(dir.resolve("tampered.ndjson"), lines);
    Run bad = python(tampered, dir.resolve(NotaryKey.PUBLIC_JWK_FILE));
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.output())
        .contains("line 10: record changed")
        .contains("records do not reproduce the checkpoint root");
  }

  /**
   * The checkpoint of size {@code size} from the tenant's checkpoint file, as its own JSON file.
   */
  private Path writeCheckpoint(Path file, NotaryKey key, long size) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String line :
        Files.readAllLines(dir.resolve("integrity/tenants/t-acme/checkpoints.ndjson"))) {
      Checkpoint c = Checkpoint.fromJson(json.readTree(line));
      if (c.treeSize() == size && c.verify(key.publicKey())) {
        return Files.writeString(file, line);
      }
    }
    throw new AssertionError("no checkpoint of size " + size);
  }
}

package dev.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.testing.ExportAndVerify;
import dev.ledger.export.testing.FillLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A million-record export and its verification in a JVM with a 64 MB heap: the export file is about
 * ten times that, so anything that kept records in memory would fail with OutOfMemoryError.
 */
class BoundedMemoryIT {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedMemoryIT.class);
  private static final long RECORDS = 1_000_000;
  private static final String HEAP = "-Xmx64m";

  @TempDir Path data;

  @Test
  void aMillionRecordsExportAndVerifyInSixtyFourMegabytes() throws Exception {
    double fillSeconds = FillLog.fill(data, "acme", RECORDS);
    LOG.info("appended {} records in {} s", RECORDS, String.format("%.1f", fillSeconds));

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    HEAP,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ExportAndVerify.class.getName(),
                    data.resolve("integrity").toString(),
                    "acme",
                    data.resolve("out").toString(),
                    data.resolve(NotaryKey.PUBLIC_PEM_FILE).toString(),
                    "ndjson-only"))
            .redirectErrorStream(true)
            .start();
    Map<String, String> results = new HashMap<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.append(line).append('\n');
        int eq = line.indexOf('=');
        if (eq > 0) {
          results.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
    LOG.info("bounded-memory run ({}):\n{}", HEAP, output);
    assertThat(child.exitValue()).as(output.toString()).isZero();
    assertThat(results)
        .containsEntry("ndjson_records", String.valueOf(RECORDS))
        .containsEntry("verify_ok", "true")
        .containsEntry("verify_records", String.valueOf(RECORDS))
        .containsEntry("max_heap_mb", results.get("max_heap_mb"));
    assertThat(Long.parseLong(results.get("max_heap_mb"))).isLessThanOrEqualTo(64);
    assertThat(Long.parseLong(results.get("ndjson_bytes"))).isGreaterThan(10L * 64 * 1024 * 1024);
  }
}

package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.NotaryKey;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large export is streamed, not buffered: with a few hundred thousand records (well over a
 * hundred megabytes) in the log, the client holds the header line while the server has not finished
 * the request, a server in a child JVM whose heap is far smaller than the export serves all of it,
 * and the whole download verifies.
 */
class ExportStreamingTest {
  static final int RECORDS = 200_000;

  /** Well under the export (over 100 MB), so a server that buffered it would run out of heap. */
  static final String CHILD_HEAP = "-Xmx64m";

  @TempDir static Path dir;
  static TestApi.Keys keys;
  static NotaryKey notaryKey;
  static PrometheusMeterRegistry registry;
  static TestApi api;

  @BeforeAll
  static void fillLogAndStart() throws Exception {
    keys = TestApi.Keys.create(dir);
    // On disk, so that the child JVM's server signs with the same key.
    notaryKey = NotaryKey.loadOrCreate(dir.resolve("notary"));
    Path root = dir.resolve(IntegrityLog.DIRECTORY);
    long start = System.nanoTime();
    try (IntegrityLog log = IntegrityLog.open(root, notaryKey, Clock.systemUTC())) {
      AuditLogs.append(log, "acme", 0, RECORDS);
      log.checkpoint("acme").orElseThrow();
    }
    System.out.printf(
        "wrote %d records to the integrity log in %d ms%n",
        RECORDS, (System.nanoTime() - start) / 1_000_000);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    api =
        TestApi.start(
            new ApiContext(
                keys.store(),
                null,
                null,
                null,
                List.of(),
                registry,
                new Exporter(root),
                notaryKey.publicKey()));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void aLargeExportArrivesWhileItIsStillBeingWrittenAndVerifies() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        api.client()
            .send(
                api.request("/v1/exports?tenant=acme", keys.auditorAcme()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    // Streamed with chunked transfer: a buffered body would have a length.
    assertThat(response.headers().firstValue("Content-Length")).isEmpty();

    CountingStream body = new CountingStream(response.body());
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String header = reader.readLine();
    long firstLineMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(TestApi.jsonLine(header).path("ledger_export").path("end_leaf").asLong())
        .isEqualTo(RECORDS);

    // The client stops reading: the server blocks on the full connection, its request still open.
    // An absence has no event to wait for, so it must hold for a bounded while (during).
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> exportTimer() == null);

    // Half way through, still open: the rest has not been produced ahead of the client.
    for (int i = 0; i < RECORDS / 2; i++) {
      reader.readLine();
    }
    assertThat(exportTimer()).as("the request finished before the client read it").isNull();

    long lines = 1 + RECORDS / 2;
    while (reader.readLine() != null) {
      lines++;
    }
    reader.close();
    assertThat(lines).as("header, every record, trailer").isEqualTo(RECORDS + 2L);
    long totalMillis = (System.nanoTime() - start) / 1_000_000;
    await().atMost(Duration.ofSeconds(10)).until(() -> exportTimer() != null);
    System.out.printf(
        "export of %d records, %d MB: first line after %d ms, all after %d ms%n",
        RECORDS, body.count >> 20, firstLineMillis, totalMillis);
    assertThat(body.count).isGreaterThan(100L << 20);
  }

  /**
   * The server's heap does not grow with the export: measured in a child JVM, where the heap is the
   * server's alone (this JVM also holds what wrote the log and the test's objects), by giving it
   * far less heap than the export and having it exit on the first OutOfMemoryError.
   */
  @Test
  void aServerWithSixtyFourMegabytesOfHeapStreamsTheWholeExportAndItVerifies() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                CHILD_HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                ExportServerMain.class.getName(),
                dir.resolve(IntegrityLog.DIRECTORY).toString(),
                dir.resolve("keys.jsonl").toString(),
                dir.resolve("notary").toString())
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread drain =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      if (line.contains(" |-INFO in ")) {
                        continue; // logback's start-up chatter, not the server's output
                      }
                      synchronized (output) {
                        output.append(line).append('\n');
                      }
                      if (line.startsWith("port=")) {
                        port.complete(Integer.parseInt(line.substring("port=".length())));
                      }
                    }
                  } catch (IOException e) {
                    port.completeExceptionally(e);
                  }
                  port.completeExceptionally(new IllegalStateException("child ended: " + output));
                });
    try {
      URI export =
          URI.create(
              "http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS) + "/v1/exports?tenant=acme");
      HttpResponse<InputStream> response =
          api.client()
              .send(
                  HttpRequest.newBuilder(export)
                      .header("Authorization", "Bearer " + keys.auditorAcme())
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      CountingStream body = new CountingStream(response.body());
      try (InputStream in = body) {
        VerificationReport report =
            Verifier.verify(in, notaryKey.publicKey(), null, ProgressListener.NONE);
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(RECORDS);
      }
      assertThat(body.count).as("the export outweighs the child's heap").isGreaterThan(100L << 20);
    } finally {
      child.getOutputStream().close(); // the child's cue to stop
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
      drain.join(Duration.ofSeconds(10));
    }
    String out;
    synchronized (output) {
      out = output.toString();
    }
    System.out.printf("export server in a child JVM (%s):%n%s", CHILD_HEAP, out);
    assertThat(out).doesNotContain("OutOfMemoryError");
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("max_heap_mb=", "peak_heap_mb=");
  }

  @Test
  void aCredentialHoldsAtMostItsShareOfStreamsAndItsStreamEndsSoonAfterItIsRevoked()
      throws Exception {
    dev.ledger.api.auth.CreatedKey key =
        keys.store().create(dev.ledger.api.auth.Role.auditor, "acme", "streams");
    try (TestApi fair =
        TestApi.start(
            ApiSettings.builder().maxLongResponsesPerCredential(1).build(),
            new ApiContext(
                keys.store(),
                null,
                null,
                null,
                List.of(),
                null,
                new Exporter(dir.resolve(IntegrityLog.DIRECTORY)),
                notaryKey.publicKey()))) {
      HttpResponse<InputStream> open =
          fair.client()
              .send(
                  fair.request("/v1/exports?tenant=acme", key.secret()).GET().build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(open.statusCode()).isEqualTo(200);
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8));
      reader.readLine();

      // The same credential may not open a second one while the first runs; another credential may.
      HttpResponse<String> second = fair.get("/v1/exports?tenant=acme", key.secret());
      TestApi.assertError(second, 429, "too_many_requests");
      assertThat(TestApi.json(second).at("/error/message").asText())
          .contains("for this credential (at most 1)");
      HttpResponse<InputStream> other =
          fair.client()
              .send(
                  fair.request("/v1/exports?tenant=acme", keys.auditorAcme()).GET().build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(other.statusCode()).isEqualTo(200);
      other.body().close();

      long revoked = System.nanoTime();
      keys.store().revoke(key.keyId());
      long lines = 1;
      try {
        while (reader.readLine() != null) {
          lines++;
        }
      } catch (IOException cut) {
        // The server ended the stream mid-chunk: just as good.
      }
      long millis = (System.nanoTime() - revoked) / 1_000_000;
      System.out.printf(
          "export stream ended %d ms after its key was revoked, after %d of %d lines%n",
          millis, lines, RECORDS + 2);
      assertThat(lines).as("the export was cut off, not finished").isLessThan(RECORDS + 2L);
      assertThat(millis).isLessThan(10_000);
    }
  }

  private static Timer exportTimer() {
    return registry.find("http.server.requests").tag("route", "/v1/exports").timer();
  }

  /** Counts the bytes read through it. */
  private static final class CountingStream extends FilterInputStream {
    volatile long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count += Math.max(n, 0);
      return n;
    }
  }
}

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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large export is streamed, not buffered: with a few hundred thousand records (well over a
 * hundred megabytes) in the log, the client holds the header line while the server has not finished
 * the request, the server's heap does not grow with the export, and the whole download still
 * verifies.
 */
class ExportStreamingTest {
  static final int RECORDS = 200_000;

  @TempDir static Path dir;
  static TestApi.Keys keys;
  static NotaryKey notaryKey;
  static PrometheusMeterRegistry registry;
  static TestApi api;

  @BeforeAll
  static void fillLogAndStart() throws Exception {
    keys = TestApi.Keys.create(dir);
    notaryKey = NotaryKey.generate();
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
    Thread.sleep(300);
    assertThat(exportTimer()).as("the request finished before the client read it").isNull();

    // Half way through, the server holds no more than its buffers.
    for (int i = 0; i < RECORDS / 2; i++) {
      reader.readLine();
    }
    long heapMidway = usedHeapAfterGc();
    assertThat(exportTimer()).isNull();
    long halfBytes = body.count;

    long lines = 1 + RECORDS / 2;
    while (reader.readLine() != null) {
      lines++;
    }
    reader.close();
    assertThat(lines).as("header, every record, trailer").isEqualTo(RECORDS + 2L);
    long totalMillis = (System.nanoTime() - start) / 1_000_000;
    await().atMost(Duration.ofSeconds(10)).until(() -> exportTimer() != null);
    System.out.printf(
        "export of %d records, %d MB: first line after %d ms, all after %d ms; heap in use midway"
            + " %d MB%n",
        RECORDS, body.count >> 20, firstLineMillis, totalMillis, heapMidway >> 20);
    assertThat(body.count).isGreaterThan(100L << 20);
    // Buffering the export would hold at least the half already sent; the test JVM also holds the
    // index of the
    // log's event ids and the test's own objects, so only a bound far below the export's size is
    // meaningful.
    assertThat(heapMidway).isLessThan(halfBytes / 2);

    HttpResponse<InputStream> again =
        api.client()
            .send(
                api.request("/v1/exports?tenant=acme", keys.auditorAcme()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = again.body()) {
      VerificationReport report =
          Verifier.verify(in, notaryKey.publicKey(), null, ProgressListener.NONE);
      assertThat(report.problems()).isEmpty();
      assertThat(report.records()).isEqualTo(RECORDS);
    }
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

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
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

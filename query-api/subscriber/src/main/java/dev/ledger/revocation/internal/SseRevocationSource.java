package dev.ledger.revocation.internal;

import dev.ledger.revocation.RevocationSettings;
import dev.ledger.schemas.LedgerKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the ledger server's {@code GET /v1/revocations/stream} (server-sent events) with {@link
 * HttpClient}: the first connection sends {@code Last-Event-ID: 0} so the server replays every live
 * notice, each reconnection (with backoff) sends the id of the last event applied, so nothing is
 * missed or applied twice across a disconnect, at the same server or another instance behind the
 * same address (ids are positions on ledger.revocations, the same at every instance). An id is kept
 * as the opaque text the server sent. A server that refuses the id with a 400 naming {@code
 * Last-Event-ID} (an id of contract v1.16 or earlier, or one a proxy mangled) gets one reconnection
 * at once with the initial id: the full replay puts every token's latest state in the store again,
 * which is idempotent. Caught up once no event has come for the quiet period after the replay
 * (keep-alive comments do not count), or when the server sends a {@code caught-up} event. A
 * watchdog drops a connection on which nothing, not even a keep-alive, arrived for the idle
 * timeout.
 */
public final class SseRevocationSource extends SourceCore {

  private final URI uri;
  private final HttpClient client;
  private final Backoff backoff;
  private final ScheduledExecutorService watchdog;
  private volatile String lastEventId;
  private volatile long lastLineNanos;
  private volatile long lastEventNanos;
  private volatile long retryHintMillis;
  private volatile InputStream body;
  private Thread thread;

  private SseRevocationSource(RevocationSettings settings) {
    super(settings, RevocationStore.open(settings));
    this.uri = settings.streamUri();
    this.lastEventId = settings.sseInitialEventId();
    this.backoff = new Backoff(settings.reconnectBackoffMin(), settings.reconnectBackoffMax());
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, settings.clientName() + "-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts following; settings must have been checked ({@code problemsForSse()} empty). The store
   * starts empty ({@link RevocationStore#open}) and the first connection asks for the whole replay
   * (unless {@code sseInitialEventId} says otherwise); a store that cannot be opened is an {@link
   * dev.ledger.revocation.InvalidSettingsException}.
   */
  public static SseRevocationSource start(RevocationSettings settings) {
    SseRevocationSource source = new SseRevocationSource(settings);
    long tick = Math.max(10, Math.min(250, settings.sseQuietPeriod().toMillis() / 4));
    source.watchdog.scheduleWithFixedDelay(source::watch, tick, tick, TimeUnit.MILLISECONDS);
    source.thread = source.startThread(source::run);
    return source;
  }

  /** The id of the last event applied: where the next connection resumes. */
  public String lastEventId() {
    return lastEventId;
  }

  private void run() {
    while (!isClosing()) {
      try {
        stream();
      } catch (IOException | RuntimeException e) {
        if (!isClosing()) {
          error("revocation stream " + uri + " failed", e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        body = null;
      }
      Duration wait = backoff.next();
      if (retryHintMillis > wait.toMillis()) {
        wait = Duration.ofMillis(retryHintMillis);
      }
      if (!pause(wait)) {
        break;
      }
    }
  }

  private void stream() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header("Accept", "text/event-stream")
            .header("Cache-Control", "no-cache")
            .header("Authorization", "Bearer " + settings.bearerToken())
            .header("Last-Event-ID", lastEventId)
            .timeout(
                settings.sseIdleTimeout()) // for the response headers; the watchdog covers the body
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        String text = new String(in.readNBytes(512), StandardCharsets.UTF_8).strip();
        error("HTTP " + response.statusCode() + " from " + uri + ": " + text, null);
        if (response.statusCode() == 400
            && text.contains("Last-Event-ID")
            && !lastEventId.equals(settings.sseInitialEventId())) {
          // The id, not the key or URL, is what the server refused: start over from the initial
          // one at once rather than retry a refused id forever.
          lastEventId = settings.sseInitialEventId();
          backoff.reset();
        } else if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
          backoff.toMax(); // a wrong key or URL does not heal in a few milliseconds
        }
        return;
      }
      body = in;
      lastLineNanos = System.nanoTime();
      lastEventNanos = lastLineNanos;
      contact();
      backoff.reset();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      SseEventParser parser = new SseEventParser(new Handler());
      String line;
      while ((line = reader.readLine()) != null) {
        lastLineNanos = System.nanoTime();
        parser.line(line);
      }
      if (!isClosing()) {
        error("revocation stream " + uri + " ended by the server", null);
      }
    }
  }

  /** Marks the bootstrap complete after the quiet period and drops idle connections. */
  private void watch() {
    InputStream current = body;
    if (current == null) {
      return;
    }
    long now = System.nanoTime();
    // Keep-alive comments do not delay the end of the replay; only events do.
    if (!isCaughtUp() && now - lastEventNanos >= settings.sseQuietPeriod().toNanos()) {
      markCaughtUp();
    }
    if (now - lastLineNanos >= settings.sseIdleTimeout().toNanos()) {
      error("no data on " + uri + " for " + settings.sseIdleTimeout() + ", reconnecting", null);
      closeQuietly(current);
    }
  }

  private final class Handler implements SseEventParser.Handler {
    @Override
    public void accept(SseEvent event) {
      lastEventNanos = System.nanoTime();
      try {
        switch (event.type()) {
          case "revocation" -> apply(NoticeJson.revocation(event.data()));
          case "tombstone" -> {
            LedgerKey key = NoticeJson.tombstone(event.data());
            forget(key.tenant(), key.tokenId());
          }
          case "caught-up" -> markCaughtUp();
          default -> {} // a newer server's event type: skip it, keep its id
        }
      } catch (IllegalArgumentException e) {
        skip("SSE event id " + event.id(), e);
      }
      // Opaque: the server reads it back. A blank id (SSE's "forget the id") is not one the
      // ledger sends, and resuming from nothing would replay everything: keep the last one.
      if (event.id() != null && !event.id().isBlank()) {
        lastEventId = event.id().strip();
      }
      contact();
    }

    @Override
    public void comment(String text) {
      contact();
    }

    @Override
    public void retry(long millis) {
      retryHintMillis = Math.min(millis, settings.reconnectBackoffMax().toMillis());
    }
  }

  @Override
  public long lag() {
    return isCaughtUp() && body != null ? 0 : -1;
  }

  @Override
  public void close() {
    signalClose();
    watchdog.shutdownNow();
    InputStream current = body;
    if (current != null) {
      closeQuietly(current);
    }
    client.shutdownNow();
    awaitStop(thread);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing to abort: nothing more to do
    }
  }
}

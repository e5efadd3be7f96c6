package dev.ledger.api.ssf.internal;

import dev.ledger.api.ssf.SsfSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one stream's SETs (RFC 8935), one at a time and in order: {@code POST} of the compact SET
 * as {@code application/secevent+jwt} with the stream's {@code authorization_header}; 202 (any 2xx)
 * acknowledges it. A failure is retried with doubling, jittered backoff; a SET the receiver refuses
 * as invalid (400, RFC 8935 section 2.3), or one still failing after {@link
 * SsfSettings#pushDeadLetterAfter()}, is dead-lettered: counted and named in the stream's status,
 * and the stream moves on.
 *
 * <p>Only the instance that transmits the stream runs its worker (see {@link StreamOwnership}).
 * Stopping lets a push in flight finish and be acknowledged, so that the instance taking over does
 * not send that SET again. The next SET is pushed only once the last acknowledgement is in the
 * stream's committed position, so an instance that dies leaves at most one SET (the one in flight)
 * for its successor to push again.
 */
final class PushWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PushWorker.class);

  /** The pause between two tries to read the stream's position before pushing. */
  private static final Duration CATCH_UP_RETRY = Duration.ofMillis(500);

  private final StreamCursor cursor;
  private final SsfSettings settings;
  private final HttpClient http;
  private final PushState state;
  private final ReceiverActivity activity;
  private final Consumer<List<String>> ack;
  private final Clock clock;
  private volatile boolean running = true;
  private boolean sending;
  private Thread thread;

  /**
   * @param ack acknowledges delivered (or dead-lettered) SETs of the stream by {@code jti}
   */
  PushWorker(
      StreamCursor cursor,
      SsfSettings settings,
      HttpClient http,
      PushState state,
      ReceiverActivity activity,
      Consumer<List<String>> ack,
      Clock clock) {
    this.cursor = cursor;
    this.settings = settings;
    this.http = http;
    this.state = state;
    this.activity = activity;
    this.ack = ack;
    this.clock = clock;
  }

  synchronized void start() {
    thread = Thread.ofVirtual().name("ledger-ssf-push-" + cursor.stream().streamId()).start(this);
  }

  /** Stops after the push in flight, if any; waiting and backing off end at once. */
  synchronized void stop() {
    running = false;
    if (thread != null && !sending) {
      thread.interrupt();
    }
  }

  /** Waits until the worker stopped; interrupts it after {@code timeout}. */
  void awaitStopped(Duration timeout) {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      return;
    }
    try {
      if (!t.join(timeout)) {
        t.interrupt();
        t.join(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean caughtUp() {
    try {
      return cursor.refresh();
    } catch (RuntimeException e) {
      LOG.warn("push stream {}: {}", cursor.stream().streamId(), e.toString());
      return false;
    }
  }

  @Override
  public void run() {
    // The instance that pushed before (this one earlier, or another, perhaps dead) may have had
    // SETs acknowledged since this cursor last looked: push nothing before knowing which.
    while (running && !caughtUp()) {
      try {
        Thread.sleep(CATCH_UP_RETRY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
    while (running) {
      try {
        if (!cursor.recorded()) {
          // The last acknowledgement is not in Kafka yet: pushing on would leave a successor more
          // than the SET in flight to repeat.
          Thread.sleep(CATCH_UP_RETRY.toMillis());
          continue;
        }
        boolean enabled = "enabled".equals(cursor.stream().status());
        // Not enabled: only stream-updated and verification SETs come out (a disabled stream's
        // notices are read and dropped meanwhile).
        List<PendingSet> next = cursor.fetch(1, enabled ? Duration.ofMillis(500) : Duration.ZERO);
        if (!next.isEmpty()) {
          deliver(next.getFirst());
        } else if (!enabled) {
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("push stream {}: {}", cursor.stream().streamId(), e.toString());
          Pause.of(settings.pushMaxBackoff());
        }
      }
    }
  }

  private void deliver(PendingSet set) throws InterruptedException {
    Duration backoff = settings.pushMinBackoff();
    while (running) {
      StreamConfig stream = cursor.stream();
      if (!"enabled".equals(stream.status()) && set.partition() != null) {
        return; // held (paused) or dropped (disabled) by the cursor
      }
      String error = post(stream, set);
      if (error == null) {
        ack.accept(List.of(set.jti()));
        state.delivered();
        activity.touch(stream.streamId()); // a receiver accepting SETs is an active one
        return;
      }
      if (!running) {
        return;
      }
      Instant since = state.failed(error, clock.instant());
      boolean refused = error.startsWith("refused");
      if (refused
          || Duration.between(since, clock.instant()).compareTo(settings.pushDeadLetterAfter())
              >= 0) {
        LOG.warn("push stream {}: SET {} dead-lettered: {}", stream.streamId(), set.jti(), error);
        ack.accept(List.of(set.jti()));
        state.deadLettered(set.jti());
        return;
      }
      long jitter =
          (long) (backoff.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
      Thread.sleep(Math.max(1, jitter));
      backoff =
          backoff.multipliedBy(2).compareTo(settings.pushMaxBackoff()) > 0
              ? settings.pushMaxBackoff()
              : backoff.multipliedBy(2);
    }
  }

  /**
   * @return null on success, else what went wrong; "refused ..." when retrying cannot help
   */
  private String post(StreamConfig stream, PendingSet set) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stream.endpointUrl()))
            .timeout(settings.pushTimeout())
            .header("Content-Type", "application/secevent+jwt")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(set.set()));
    if (stream.authorizationHeader() != null) {
      request.header("Authorization", stream.authorizationHeader());
    }
    synchronized (this) {
      if (!running) {
        return "stopped";
      }
      sending = true;
      // An interrupt that came just before must not cut this push short.
      Thread.interrupted();
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int code = response.statusCode();
      if (code >= 200 && code < 300) {
        return null;
      }
      String body = response.body() == null ? "" : response.body();
      String detail =
          "HTTP "
              + code
              + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length())));
      return code == 400 ? "refused, " + detail : detail;
    } catch (IOException | IllegalArgumentException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    } finally {
      synchronized (this) {
        sending = false;
      }
    }
  }
}

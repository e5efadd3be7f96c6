package dev.ledger.api.internal.sse;

import dev.ledger.api.internal.CredentialCheck;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.RevocationPosition;
import dev.ledger.index.SequencedNotice;
import dev.ledger.index.TenantScope;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSE connection. The index listener only {@link #offer}s into a bounded queue, never blocking;
 * this subscriber's own virtual thread does the (possibly slow) writing. A subscriber whose queue
 * fills up is closed: it reconnects with {@code Last-Event-ID} and resumes from the index without a
 * gap.
 *
 * <p>Resume without gaps or duplicates, at this instance or any other: the client's position (a
 * {@link RevocationPosition}, offsets of ledger.revocations) starts at its {@code Last-Event-ID},
 * and each event is sent only when the position does not cover it yet, with the position advanced
 * by it as its id. The subscriber is registered (so live notices queue up) before it replays what
 * the index holds past the position; queued notices the replay already covered are skipped. So an
 * instance behind the client's position sends nothing it had until it catches up, one ahead replays
 * the difference, and each partition's records arrive in their topic order. A {@code caught-up}
 * event (no id) marks the end of the replay. Without a {@code Last-Event-ID} the position starts at
 * the end of what this instance's index holds: live notices only, with ids that name every
 * partition.
 */
final class Subscriber implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);
  private static final int REPLAY_BATCH = 500;

  private final SseClient client;
  private final String tenant;
  private final RevocationPosition resumeAfter;
  private final LedgerIndex index;
  private final Duration keepAlive;
  private final BlockingQueue<SequencedNotice> queue;
  private final CredentialCheck credential;
  private final Runnable onEnd;
  private volatile boolean overflowed;
  private volatile Thread writer;

  /** Where the client stands; the writer thread's alone. */
  private RevocationPosition position;

  /**
   * @param tenant the only tenant it sees, or null for every tenant
   * @param resumeAfter the {@code Last-Event-ID}, or null to start live
   * @param credential checked between notices and at least every {@link CredentialCheck#recheck()};
   *     the stream ends once it is revoked or expired
   * @param onEnd called once when the subscriber ends, for any reason
   */
  Subscriber(
      SseClient client,
      String tenant,
      RevocationPosition resumeAfter,
      LedgerIndex index,
      Duration keepAlive,
      int capacity,
      CredentialCheck credential,
      Runnable onEnd) {
    this.client = client;
    this.tenant = tenant;
    this.resumeAfter = resumeAfter;
    this.index = index;
    this.keepAlive = keepAlive;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.credential = credential;
    this.onEnd = onEnd;
  }

  /**
   * Queues a live notice if it is for this subscriber's tenant. Never blocks.
   *
   * @return false when the queue was full and the subscriber is being dropped
   */
  boolean offer(SequencedNotice notice) {
    if (tenant != null && !tenant.equals(notice.tenant())) {
      return true;
    }
    if (queue.offer(notice)) {
      return true;
    }
    // No interrupt needed: a full queue means the writer is busy, and it checks the flag before
    // each poll.
    overflowed = true;
    return false;
  }

  /** Ends the stream from outside (server shutdown). */
  void stop() {
    Thread t = writer;
    if (t != null) {
      t.interrupt();
    }
    client.close();
  }

  @Override
  public void run() {
    writer = Thread.currentThread();
    try {
      if (resumeAfter != null) {
        position = resumeAfter;
        replay();
        if (!overflowed) {
          // No id: a client that reconnects after this still resumes from the last notice it got.
          client.sendEvent("caught-up", "{\"last_event_id\":\"" + position + "\"}", null);
        }
      } else {
        // After the registration, so every notice past this end is queued (see the class comment).
        position = index.revocationsEnd();
      }
      // Wake at least every recheck interval, so a revoked or expired credential ends the stream
      // within about
      // that long even when no notice and no keep-alive is due.
      long wait = Math.min(keepAlive.toNanos(), credential.recheck().toNanos());
      long nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
      while (!client.terminated() && !overflowed && credential.stillValid()) {
        SequencedNotice next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next != null) {
          send(next);
        } else if (System.nanoTime() - nextKeepAlive >= 0) {
          client.sendComment("keep-alive");
          nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
        }
      }
      if (!credential.stillValid()) {
        LOG.info(
            "revocation stream subscriber (tenant {}): its credential was revoked or has expired; closing",
            tenant == null ? "*" : tenant);
      }
      if (overflowed) {
        LOG.info(
            "revocation stream subscriber (tenant {}) fell more than {} notices behind; closing it",
            tenant == null ? "*" : tenant,
            queue.size() + queue.remainingCapacity());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("revocation stream subscriber ended: {}", e.toString());
    } finally {
      // Closing completes the response on this thread; a pending interrupt would make Jetty's final
      // write fail
      // and leave the connection open.
      Thread.interrupted();
      client.close();
      onEnd.run();
    }
  }

  private void replay() throws InterruptedException {
    TenantScope scope = tenant == null ? TenantScope.all() : TenantScope.of(tenant);
    while (!client.terminated() && !overflowed && credential.stillValid()) {
      List<SequencedNotice> batch = index.revocationsAfter(scope, position, REPLAY_BATCH);
      if (batch.isEmpty()) {
        return;
      }
      for (SequencedNotice notice : batch) {
        send(notice);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private void send(SequencedNotice notice) {
    if (client.terminated()) {
      // Javalin would log a warning per event sent to a closed client; end the subscriber instead.
      throw new IllegalStateException("client disconnected");
    }
    if (position.covers(notice.partition(), notice.offset())) {
      return;
    }
    position = position.advance(notice.partition(), notice.offset());
    String data =
        notice.notice() == null
            ? ContractJson.tombstone(notice.tenant(), notice.tokenId()).toString()
            : ContractJson.revocation(notice.notice()).toString();
    client.sendEvent(
        notice.notice() == null ? "tombstone" : "revocation", data, position.toString());
  }
}

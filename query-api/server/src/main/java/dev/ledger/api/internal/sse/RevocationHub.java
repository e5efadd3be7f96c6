package dev.ledger.api.internal.sse;

import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.CredentialCheck;
import dev.ledger.api.internal.FairShare;
import dev.ledger.index.Indexer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.RevocationPosition;
import dev.ledger.index.SequencedNotice;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans revocation notices out to every SSE subscriber from a single {@link Indexer} listener. The
 * listener does one non-blocking queue offer per subscriber, so hundreds of subscribers cost the
 * indexer microseconds per notice and a slow client can never hold it up.
 */
public final class RevocationHub implements AutoCloseable {
  private final LedgerIndex index;
  private final Duration keepAlive;
  private final int capacity;
  private final FairShare slots;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Counter dropped;
  private volatile boolean closed;

  /**
   * @param index replays notices after a {@code Last-Event-ID}, not null
   * @param indexer delivers live notices, not null
   * @param keepAlive interval of keep-alive comments
   * @param capacity notices queued per subscriber before it is dropped
   * @param slots concurrent subscribers, in total and per credential, before {@link #reserve}
   *     refuses with 429
   */
  public RevocationHub(
      LedgerIndex index,
      Indexer indexer,
      Duration keepAlive,
      int capacity,
      FairShare slots,
      MeterRegistry registry) {
    this.index = index;
    this.keepAlive = keepAlive;
    this.capacity = capacity;
    this.slots = slots;
    this.dropped =
        Counter.builder("ledger.api.sse.dropped")
            .description("Revocation-stream subscribers closed because they fell too far behind")
            .register(registry);
    Gauge.builder("ledger.api.sse.subscribers", subscribers, Set::size)
        .description("Open revocation-stream subscribers")
        .register(registry);
    indexer.addRevocationListener(this::publish);
  }

  /**
   * Claims a subscriber slot for {@code holder} (a credential id) before the SSE response starts,
   * while an error status can still be sent. Close the lease when the subscription does not start;
   * once it does, the subscriber closes it when it ends.
   *
   * @throws ApiError 429 when the holder or the server has its most subscribers connected, 503 once
   *     closed
   */
  public FairShare.Lease reserve(String holder) {
    if (closed) {
      throw ApiError.unavailable("the server is shutting down");
    }
    return slots.acquire(holder);
  }

  /**
   * Starts streaming to {@code client} on its own virtual thread; call after {@link #reserve}.
   * Returns at once.
   *
   * @param tenant the tenant it may see, or null for all
   * @param resumeAfter the {@code Last-Event-ID}, or null to start with the next live notice
   * @param lease the slot {@link #reserve} gave, closed when the subscriber ends
   * @param credential ends the stream within its recheck interval once the credential is revoked or
   *     expired
   */
  public void subscribe(
      SseClient client,
      String tenant,
      RevocationPosition resumeAfter,
      FairShare.Lease lease,
      CredentialCheck credential) {
    Subscriber[] self = new Subscriber[1];
    self[0] =
        new Subscriber(
            client,
            tenant,
            resumeAfter,
            index,
            keepAlive,
            capacity,
            credential,
            () -> {
              subscribers.remove(self[0]);
              lease.close();
            });
    subscribers.add(self[0]);
    client.keepAlive();
    if (closed) {
      self[0].stop();
    }
    Thread.ofVirtual().name("ledger-sse-" + client.hashCode()).start(self[0]);
  }

  /**
   * @return subscribers currently connected
   */
  public int size() {
    return subscribers.size();
  }

  private void publish(SequencedNotice notice) {
    if (closed) {
      return;
    }
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.offer(notice)) {
        dropped.increment();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    subscribers.forEach(Subscriber::stop);
  }
}

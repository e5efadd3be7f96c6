package dev.ledger.api.internal.sse;

import dev.ledger.api.internal.ApiError;
import dev.ledger.index.Indexer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.SequencedNotice;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans revocation notices out to every SSE subscriber from a single {@link Indexer} listener. The listener does one
 * non-blocking queue offer per subscriber, so hundreds of subscribers cost the indexer microseconds per notice and a
 * slow client can never hold it up.
 */
public final class RevocationHub implements AutoCloseable {
    private final LedgerIndex index;
    private final Duration keepAlive;
    private final int capacity;
    private final int maxSubscribers;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reserved = new AtomicInteger();
    private final Counter dropped;
    private volatile boolean closed;

    /**
     * @param index          replays notices after a {@code Last-Event-ID}, not null
     * @param indexer        delivers live notices, not null
     * @param keepAlive      interval of keep-alive comments
     * @param capacity       notices queued per subscriber before it is dropped
     * @param maxSubscribers concurrent subscribers before {@link #reserve()} refuses with 429
     */
    public RevocationHub(LedgerIndex index, Indexer indexer, Duration keepAlive, int capacity, int maxSubscribers,
                         MeterRegistry registry) {
        this.index = index;
        this.keepAlive = keepAlive;
        this.capacity = capacity;
        this.maxSubscribers = maxSubscribers;
        this.dropped = Counter.builder("ledger.api.sse.dropped")
            .description("Revocation-stream subscribers closed because they fell too far behind")
            .register(registry);
        Gauge.builder("ledger.api.sse.subscribers", subscribers, Set::size)
            .description("Open revocation-stream subscribers")
            .register(registry);
        indexer.addRevocationListener(this::publish);
    }

    /**
     * Claims a subscriber slot before the SSE response starts, while an error status can still be sent.
     *
     * @throws ApiError 429 when {@code maxSubscribers} are connected, 503 once closed
     */
    public void reserve() {
        if (closed) {
            throw ApiError.unavailable("the server is shutting down");
        }
        if (reserved.incrementAndGet() > maxSubscribers) {
            reserved.decrementAndGet();
            throw ApiError.tooManyRequests("too many revocation-stream subscribers (" + maxSubscribers + ")");
        }
    }

    /** Gives back a slot claimed by {@link #reserve()} when the subscription did not start. */
    public void release() {
        reserved.decrementAndGet();
    }

    /**
     * Starts streaming to {@code client} on its own virtual thread; call after {@link #reserve()}. Returns at once.
     *
     * @param tenant      the tenant it may see, or null for all
     * @param resumeAfter the {@code Last-Event-ID}, or null to start with the next live notice
     */
    public void subscribe(SseClient client, String tenant, Long resumeAfter) {
        Subscriber[] self = new Subscriber[1];
        self[0] = new Subscriber(client, tenant, resumeAfter, index, keepAlive, capacity, () -> {
            if (subscribers.remove(self[0])) {
                reserved.decrementAndGet();
            }
        });
        subscribers.add(self[0]);
        client.keepAlive();
        if (closed) {
            self[0].stop();
        }
        Thread.ofVirtual().name("ledger-sse-" + client.hashCode()).start(self[0]);
    }

    /** @return subscribers currently connected */
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

package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.ssf.SsfSettings;
import dev.ledger.schemas.avro.RevocationNotice;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link StreamCursor} per stream, and a {@link PushWorker} per push stream this instance
 * transmits, in step with the {@link StreamStore}; makes each stream's SETs from the revocation
 * notices it reads.
 *
 * <p>With several API instances, the {@link StreamOwnership} group decides which instance pushes a
 * stream and pauses it for inactivity; until {@link #startOwnership} is called this instance
 * transmits every stream. Verification and stream-updated SETs are queued on the store, so the
 * instance that delivers the stream sends them whichever instance made them. The pushing instance
 * also publishes its streams' delivery figures there ({@link #publishPushStates}), so that every
 * instance answers a stream's status with them and the next pusher counts on from them.
 */
public final class Deliveries implements StreamStore.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  /**
   * The index learns of a token from {@code ledger.tokens}, which may reach it a moment after the
   * token's revocation notice reaches a stream: a fresh notice of a token it does not know yet is
   * parked (see {@link ParkedNotices}) for up to this long.
   */
  private static final Duration INDEX_WAIT = Duration.ofSeconds(5);

  /** Only notices this recent are parked; an older one's token will not show up any more. */
  private static final Duration FRESH = Duration.ofSeconds(30);

  private final Map<String, Object> kafka;
  private final SsfSettings settings;
  private final SetFactory sets;
  private final BiFunction<String, String, Optional<SetFactory.Lineage>> lineage;
  private final HttpClient http;
  private final Clock clock = Clock.systemUTC();
  private final ReceiverActivity activity;
  private final Map<String, StreamCursor> cursors = new ConcurrentHashMap<>();
  private final Map<String, PushWorker> pushers = new HashMap<>();
  private final Map<String, PushState> pushStates = new ConcurrentHashMap<>();
  private final Map<String, LinkedHashMap<String, String>> queued = new HashMap<>();

  /** Names this instance's publications of delivery figures, to tell its own echoes apart. */
  private final String instance = UUID.randomUUID().toString();

  /** The {@link PushState#version()} last published, per stream. */
  private final Map<String, Long> published = new ConcurrentHashMap<>();

  private final Object reconciling = new Object();
  private volatile StreamStore store;
  private volatile StreamOwnership ownership;
  private boolean closed;
  private boolean pushing;

  /**
   * @param lineage (tenant, token id) to what the index knows of the token; empty when it does not
   * @param pushTls what pushes over HTTPS trust (the JVM's default CAs and any configured ones)
   */
  public Deliveries(
      Map<String, Object> kafka,
      SsfSettings settings,
      SetFactory sets,
      BiFunction<String, String, Optional<SetFactory.Lineage>> lineage,
      SSLContext pushTls) {
    this.kafka = kafka;
    this.settings = settings;
    this.sets = sets;
    this.lineage = lineage;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.pushTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(pushTls)
            .build();
    this.activity =
        new ReceiverActivity(
            settings.minVerificationInterval(), settings.inactivityTimeout(), clock);
  }

  /**
   * Connects the store, once started: queued SETs and receiver activity go there, so every instance
   * sees them.
   */
  public void attach(StreamStore store) {
    this.store = store;
    activity.publishTo(
        (streamId, at) -> {
          try {
            store.heard(streamId, at);
          } catch (RuntimeException e) {
            LOG.warn("stream {}: telling other instances of activity failed: {}", streamId, e);
          }
        });
  }

  /**
   * Joins the group that decides which instance transmits which stream (see {@link
   * StreamOwnership}); from then on this instance pushes, and pauses for inactivity, only the
   * streams assigned to it.
   *
   * @param topic the stream store's topic
   * @param sessionTimeout how long a dead instance keeps its streams
   */
  public void startOwnership(String topic, Duration sessionTimeout) {
    ownership = StreamOwnership.start(kafka, topic, sessionTimeout, this::reconcile);
  }

  /**
   * @return whether this instance transmits the stream: pushes its SETs and changes its status on
   *     its own
   */
  public boolean transmits(String streamId) {
    StreamOwnership o = ownership;
    if (o == null) {
      return true;
    }
    StreamStore s = store;
    OptionalInt partition = s == null ? OptionalInt.empty() : s.partition(streamId);
    return partition.isPresent() && o.owns(partition.getAsInt());
  }

  /**
   * @return when each stream's receiver was last heard from
   */
  public ReceiverActivity activity() {
    return activity;
  }

  /**
   * Opens the cursor of a stream being created, at the end of every partition, before the stream is
   * stored.
   */
  public synchronized void prepare(StreamConfig stream) {
    cursors.put(
        stream.streamId(), StreamCursor.open(kafka, stream, this::make, true, INDEX_WAIT, clock));
  }

  @Override
  public void changed(String streamId, StreamConfig config) {
    StreamCursor removed = null;
    synchronized (this) {
      if (closed) {
        return;
      }
      StreamCursor cursor = cursors.get(streamId);
      if (config == null) {
        pushStates.remove(streamId);
        published.remove(streamId);
        queued.remove(streamId);
        activity.forget(streamId);
        removed = cursors.remove(streamId);
      } else if (cursor == null) {
        cursor = StreamCursor.open(kafka, config, this::make, false, INDEX_WAIT, clock);
        cursors.put(streamId, cursor);
        for (Map.Entry<String, String> q :
            queued.getOrDefault(streamId, new LinkedHashMap<>()).entrySet()) {
          cursor.offer(q.getKey(), q.getValue());
        }
      } else {
        cursor.update(config);
      }
    }
    reconcile();
    if (removed != null) {
      removed.close(); // after its push worker stopped
    }
  }

  @Override
  public void queued(String streamId, String jti, String set) {
    StreamCursor cursor;
    synchronized (this) {
      if (set == null) {
        LinkedHashMap<String, String> q = queued.get(streamId);
        if (q != null) {
          q.remove(jti);
        }
      } else {
        queued.computeIfAbsent(streamId, id -> new LinkedHashMap<>()).put(jti, set);
      }
      cursor = cursors.get(streamId);
    }
    if (cursor != null) {
      if (set == null) {
        cursor.forget(jti);
      } else {
        cursor.offer(jti, set);
      }
    }
  }

  @Override
  public void heard(String streamId, Instant at) {
    activity.heard(streamId, at);
  }

  /**
   * Takes in the delivery figures another instance published: the whole truth when this one does
   * not push the stream; the previous pusher's last figures, to count on from, when it does.
   */
  @Override
  public void delivery(String streamId, String from, JsonNode figures) {
    if (instance.equals(from)) {
      return; // its own, come back: this instance has them, or newer ones
    }
    PushState state;
    boolean pushingHere;
    synchronized (this) {
      if (closed) {
        return;
      }
      // Kept even before the stream's configuration is read: side records may come first.
      state = pushStates.computeIfAbsent(streamId, x -> new PushState());
      pushingHere = pushers.containsKey(streamId);
    }
    if (pushingHere) {
      state.countOnFrom(figures);
    } else {
      state.replaceWith(figures);
    }
  }

  /**
   * Publishes the delivery figures of each stream this instance pushes that changed since it last
   * did, for every instance to answer with. Call it every second or so: another instance's answer
   * is that much behind, and a pusher that dies loses that much of its counting.
   */
  public void publishPushStates() {
    List<String> ids;
    synchronized (this) {
      ids = List.copyOf(pushers.keySet());
    }
    ids.forEach(this::publish);
  }

  private void publish(String streamId) {
    PushState state = pushStates.get(streamId);
    StreamStore s = store;
    if (state == null || s == null || s.get(streamId).isEmpty()) {
      return; // nothing counted, or the stream is gone (its figures with it)
    }
    long version = state.version();
    Long last = published.get(streamId);
    if (last != null && last == version) {
      return;
    }
    try {
      s.delivery(streamId, instance, state.describe());
      published.put(streamId, version);
    } catch (RuntimeException e) {
      LOG.warn("stream {}: publishing its delivery figures failed: {}", streamId, e.toString());
    }
  }

  /**
   * Starts pushing: call once the API listens, so that the issuer (its address) is known before the
   * first SET is signed. Streams created later push at once.
   */
  public void startPushing() {
    synchronized (this) {
      if (pushing || closed) {
        return;
      }
      pushing = true;
    }
    reconcile();
  }

  /**
   * Runs a push worker for each push stream this instance transmits, and stops the others: a push
   * in flight is finished (and acknowledged) first, so that the instance taking a stream over never
   * sends a SET this one had delivered. One reconciliation at a time, so that a stream never has a
   * new worker while its old one is still finishing.
   */
  private void reconcile() {
    synchronized (reconciling) {
      reconcileNow();
    }
  }

  private void reconcileNow() {
    List<PushWorker> stopping = new ArrayList<>();
    List<String> handedOver = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, StreamCursor> e : cursors.entrySet()) {
        String id = e.getKey();
        StreamCursor cursor = e.getValue();
        boolean wanted = pushing && !closed && cursor.stream().push() && transmits(id);
        PushWorker worker = pushers.get(id);
        if (wanted && worker == null) {
          worker =
              new PushWorker(
                  cursor,
                  settings,
                  http,
                  pushStates.computeIfAbsent(id, x -> new PushState()),
                  activity,
                  jtis -> ack(cursor, jtis),
                  clock);
          pushers.put(id, worker);
          worker.start();
        } else if (!wanted && worker != null) {
          stopping.add(pushers.remove(id));
          handedOver.add(id);
        }
      }
      for (String id : List.copyOf(pushers.keySet())) {
        if (!cursors.containsKey(id)) {
          stopping.add(pushers.remove(id));
        }
      }
    }
    stopping.forEach(PushWorker::stop);
    stopping.forEach(w -> w.awaitStopped(settings.pushTimeout().plusSeconds(1)));
    // The final figures, before the stream moves: the next pusher counts on from them.
    handedOver.forEach(this::publish);
  }

  /**
   * @return the stream's cursor, if the stream exists here
   */
  public Optional<StreamCursor> cursor(String streamId) {
    return Optional.ofNullable(cursors.get(streamId));
  }

  /**
   * Acknowledges SETs of the stream by {@code jti}, at this instance and every other: a queued
   * verification or stream-updated SET is taken off the store.
   */
  public void ack(StreamCursor cursor, Collection<String> jtis) {
    cursor.ack(jtis);
    String streamId = cursor.stream().streamId();
    for (String jti : jtis) {
      boolean wasQueued;
      synchronized (this) {
        wasQueued = queued.getOrDefault(streamId, new LinkedHashMap<>()).containsKey(jti);
      }
      if (wasQueued) {
        try {
          store.dequeue(streamId, jti);
        } catch (RuntimeException e) {
          LOG.warn("stream {}: taking SET {} off the queue failed: {}", streamId, jti, e);
        }
      }
    }
  }

  /**
   * @return how the stream's pushes go, if it is a push stream
   */
  public Optional<PushState> pushState(String streamId) {
    return Optional.ofNullable(pushStates.get(streamId));
  }

  /** Queues the verification SET of SSF 1.0 section 8.1.4.2 for the stream. */
  public void verify(StreamConfig stream, String state) {
    String jti = UUID.randomUUID().toString();
    store.queue(
        stream.streamId(),
        jti,
        sets.verification(settings.issuerUrl(), stream.audience(), jti, stream.streamId(), state));
  }

  /** Queues a stream-updated SET: the transmitter changed the stream's status itself. */
  public void streamUpdated(StreamConfig stream) {
    String jti = UUID.randomUUID().toString();
    store.queue(
        stream.streamId(),
        jti,
        sets.streamUpdated(
            settings.issuerUrl(),
            stream.audience(),
            jti,
            stream.streamId(),
            stream.status(),
            stream.reason()));
  }

  private NoticeOutcome make(
      StreamConfig stream, RevocationNotice notice, String jti, boolean lastTry) {
    if (!stream.tenant().equals(notice.getTenant()) || stream.eventsDelivered().isEmpty()) {
      return NoticeOutcome.SKIP;
    }
    Optional<SetFactory.Lineage> known = lineage.apply(notice.getTenant(), notice.getTokenId());
    if (known.isEmpty() && !lastTry && fresh(notice)) {
      return NoticeOutcome.NOT_YET;
    }
    if ("NONE".equals(settings.defaultSubjects())) {
      SubjectFilter.Facts facts =
          new SubjectFilter.Facts(
              notice.getTenant(),
              notice.getTokenId(),
              known
                  .map(SetFactory.Lineage::chain)
                  .orElse(java.util.List.of(notice.getRevocationCause())),
              known.map(SetFactory.Lineage::issuer).orElse(null),
              notice.getPrincipal());
      if (!SubjectFilter.matchesAny(stream.subjects(), facts)) {
        return NoticeOutcome.SKIP;
      }
    }
    return new NoticeOutcome.Set(
        sets.revocation(
            settings.issuerUrl(),
            stream.audience(),
            jti,
            stream.eventsDelivered().getFirst(),
            notice,
            known.orElse(null)));
  }

  private boolean fresh(RevocationNotice notice) {
    Instant at = notice.getNotifiedAt() != null ? notice.getNotifiedAt() : notice.getRevokedAt();
    return at.isAfter(clock.instant().minus(FRESH));
  }

  /**
   * Stops every push (finishing those in flight), leaves the ownership group, so that other
   * instances take this one's streams over at once, and closes the cursors.
   */
  @Override
  public void close() {
    synchronized (this) {
      pushing = false;
    }
    reconcile();
    StreamOwnership o = ownership;
    if (o != null) {
      o.close();
    }
    synchronized (this) {
      closed = true;
      cursors.values().forEach(StreamCursor::close);
      cursors.clear();
    }
  }
}

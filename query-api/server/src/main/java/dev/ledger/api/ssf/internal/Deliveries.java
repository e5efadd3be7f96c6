package dev.ledger.api.ssf.internal;

import dev.ledger.api.ssf.SsfSettings;
import dev.ledger.schemas.avro.RevocationNotice;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Keeps one {@link StreamCursor} per stream, and a {@link PushWorker} per enabled push stream, in
 * step with the {@link StreamStore}; makes each stream's SETs from the revocation notices it reads.
 */
public final class Deliveries implements AutoCloseable {
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
  private final Map<String, StreamCursor> cursors = new HashMap<>();
  private final Map<String, PushWorker> pushers = new HashMap<>();
  private final Map<String, PushState> pushStates = new java.util.concurrent.ConcurrentHashMap<>();
  private boolean closed;
  private boolean pushing;

  /**
   * @param lineage (tenant, token id) to what the index knows of the token; empty when it does not
   */
  public Deliveries(
      Map<String, Object> kafka,
      SsfSettings settings,
      SetFactory sets,
      BiFunction<String, String, Optional<SetFactory.Lineage>> lineage) {
    this.kafka = kafka;
    this.settings = settings;
    this.sets = sets;
    this.lineage = lineage;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.pushTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.activity =
        new ReceiverActivity(
            settings.minVerificationInterval(), settings.inactivityTimeout(), clock);
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

  /** Follows a change of the store: a stream created, changed or (config null) deleted. */
  public synchronized void changed(String streamId, StreamConfig config) {
    if (closed) {
      return;
    }
    StreamCursor cursor = cursors.get(streamId);
    if (config == null) {
      stopPush(streamId);
      pushStates.remove(streamId);
      activity.forget(streamId);
      if (cursor != null) {
        cursors.remove(streamId).close();
      }
      return;
    }
    if (cursor == null) {
      cursor = StreamCursor.open(kafka, config, this::make, false, INDEX_WAIT, clock);
      cursors.put(streamId, cursor);
    } else {
      cursor.update(config);
    }
    if (config.push() && !pushers.containsKey(streamId)) {
      PushWorker worker =
          new PushWorker(
              cursor,
              settings,
              http,
              pushStates.computeIfAbsent(streamId, id -> new PushState()),
              activity,
              clock);
      pushers.put(streamId, worker);
      if (pushing) {
        worker.start();
      }
    } else if (!config.push()) {
      stopPush(streamId);
    }
  }

  /**
   * Starts pushing: call once the API listens, so that the issuer (its address) is known before the
   * first SET is signed. Streams created later push at once.
   */
  public synchronized void startPushing() {
    if (!pushing && !closed) {
      pushing = true;
      pushers.values().forEach(PushWorker::start);
    }
  }

  private void stopPush(String streamId) {
    PushWorker worker = pushers.remove(streamId);
    if (worker != null) {
      worker.stop();
    }
  }

  /**
   * @return the stream's cursor, if the stream exists here
   */
  public synchronized Optional<StreamCursor> cursor(String streamId) {
    return Optional.ofNullable(cursors.get(streamId));
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
    cursor(stream.streamId())
        .ifPresent(
            c ->
                c.offer(
                    jti,
                    sets.verification(
                        settings.issuerUrl(), stream.audience(), jti, stream.streamId(), state)));
  }

  /** Queues a stream-updated SET: the transmitter changed the stream's status itself. */
  public void streamUpdated(StreamConfig stream) {
    String jti = UUID.randomUUID().toString();
    cursor(stream.streamId())
        .ifPresent(
            c ->
                c.offer(
                    jti,
                    sets.streamUpdated(
                        settings.issuerUrl(),
                        stream.audience(),
                        jti,
                        stream.streamId(),
                        stream.status(),
                        stream.reason())));
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

  @Override
  public synchronized void close() {
    closed = true;
    pushers.values().forEach(PushWorker::stop);
    pushers.clear();
    cursors.values().forEach(StreamCursor::close);
    cursors.clear();
  }
}

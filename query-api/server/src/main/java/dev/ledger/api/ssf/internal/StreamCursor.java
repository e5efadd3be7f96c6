package dev.ledger.api.ssf.internal;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.RevocationNotice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's place in {@code ledger.revocations}: a consumer of its own ({@code
 * ledger.ssf.<stream id>}) whose committed offset per partition is the first notice whose SET is
 * not yet acknowledged. SETs acknowledged beyond that point are listed in the commit's metadata, so
 * a restart hands out again exactly the SETs that were never acknowledged: nothing is lost, nothing
 * acknowledged comes twice. A SET's {@code jti} is the stream id, partition and offset of its
 * notice, so a SET handed out again after a restart has the same id.
 *
 * <p>Every API instance has a cursor of each stream, all sharing the one committed position: an
 * instance merges it in before it commits and before it hands out SETs that others may have had
 * acknowledged ({@link #refresh}), and any instance acknowledges a SET another handed out, by its
 * {@code jti}. Commits go through a {@link PositionWriter}, so two instances committing at once
 * cannot drop each other's acknowledgements.
 *
 * <p>Thread-safe: every method holds the cursor's lock for at most one short Kafka poll.
 */
public final class StreamCursor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);

  /** Kafka's default {@code offset.metadata.max.bytes} is 4096; stay well below. */
  private static final int MAX_METADATA = 3000;

  /** Turns one notice into this stream's SET, a skip, or (unless {@code lastTry}) not yet. */
  @FunctionalInterface
  public interface SetMaker {
    NoticeOutcome make(StreamConfig stream, RevocationNotice notice, String jti, boolean lastTry);
  }

  private final String streamId;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final SetMaker maker;
  private final Deserializer<RevocationNotice> notices =
      Topics.REVOCATIONS.valueSerde().deserializer();
  private final LinkedHashMap<String, PendingSet> pending = new LinkedHashMap<>();
  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
  private final Map<TopicPartition, TreeSet<Long>> ackedAhead = new HashMap<>();
  private final List<TopicPartition> partitions;
  private final ParkedNotices parked;
  private final PositionWriter positions;
  private volatile StreamConfig stream;

  /** The last commit failed: what is done here is not yet in the stream's committed position. */
  private boolean unrecorded;

  private StreamCursor(
      Map<String, Object> kafka,
      StreamConfig stream,
      SetMaker maker,
      boolean fresh,
      ParkedNotices parked) {
    this.streamId = stream.streamId();
    this.stream = stream;
    this.maker = maker;
    this.parked = parked;
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(streamId));
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "ledger-ssf-" + streamId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.positions = new PositionWriter(kafka, streamId, groupId(streamId));
    this.partitions =
        consumer.partitionsFor(Topics.REVOCATIONS.name(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, OffsetAndMetadata> committed =
        fresh ? Map.of() : consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
    boolean moved = false;
    for (TopicPartition tp : partitions) {
      open.put(tp, new TreeSet<>());
      ackedAhead.put(tp, new TreeSet<>());
      OffsetAndMetadata at = committed.get(tp);
      if (at == null) {
        // A new stream starts with the revocations that come after it; one whose commit is missing
        // (created by a crashed instance before its first commit) the same way.
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        moved = true;
      } else {
        consumer.seek(tp, at.offset());
        ackedAhead.get(tp).addAll(parseMetadata(at.offset(), at.metadata()));
      }
    }
    if (moved) {
      // Only a position set here is written: rewriting one read unchanged would fence the
      // instances using it for nothing.
      commit();
    }
  }

  /**
   * Opens the cursor of {@code stream}.
   *
   * @param fresh true for a stream being created: start at the end of every partition and commit
   *     that at once
   * @param parkFor longest a notice whose SET is not yet makeable waits (parked, not holding up the
   *     stream's other notices) before its SET is made with what is known
   */
  public static StreamCursor open(
      Map<String, Object> kafka,
      StreamConfig stream,
      SetMaker maker,
      boolean fresh,
      Duration parkFor,
      Clock clock) {
    return new StreamCursor(kafka, stream, maker, fresh, new ParkedNotices(parkFor, clock));
  }

  /**
   * @return the consumer group that keeps the stream's offsets
   */
  public static String groupId(String streamId) {
    return "ledger.ssf." + streamId;
  }

  public StreamConfig stream() {
    return stream;
  }

  /** Applies a changed configuration; disabling drops whatever is pending. */
  public synchronized void update(StreamConfig config) {
    this.stream = config;
    if ("disabled".equals(config.status())) {
      for (PendingSet p : new ArrayList<>(pending.values())) {
        if (p.partition() != null) {
          done(p);
        }
      }
      for (ParkedNotices.Parked p : parked.clear()) {
        done(p.partition(), p.offset());
      }
      commit();
    }
  }

  /**
   * Queues a SET that is not made from a notice (verification, stream-updated); kept in memory
   * only.
   */
  public synchronized void offer(String jti, String set) {
    pending.put(jti, new PendingSet(jti, set, null, -1));
  }

  /**
   * The oldest SETs not yet acknowledged, reading more notices when fewer than {@code max} are
   * pending. A paused stream gets no revocation (its notices wait in Kafka, in order); a disabled
   * one has its notices read and dropped; both still get their stream-updated and verification
   * SETs.
   *
   * @param wait how long one Kafka poll may wait when more are needed
   */
  public synchronized List<PendingSet> fetch(int max, Duration wait) {
    String status = stream.status();
    if ("enabled".equals(status)) {
      retryParked();
    }
    if ("disabled".equals(status) || ("enabled".equals(status) && pending.size() < max)) {
      read(wait);
    }
    if (!"enabled".equals(status)) {
      // Held or dropped revocations aside, the receiver still hears that its stream was paused or
      // disabled
      // (SSF 1.0 section 8.1.5) and gets the verification it asked for.
      return pending.values().stream().filter(p -> p.partition() == null).limit(max).toList();
    }
    return pending.values().stream().limit(max).toList();
  }

  private void read(Duration wait) {
    boolean any = false;
    boolean handedOut = false;
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
      any = true;
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (ackedAhead.get(tp).contains(record.offset())
          || record.value() == null
          || "disabled".equals(stream.status())) {
        continue;
      }
      RevocationNotice notice;
      try {
        notice = notices.deserialize(record.topic(), record.value());
      } catch (RuntimeException e) {
        LOG.debug(
            "stream {}: skipping an unreadable notice at {}@{}", streamId, tp, record.offset());
        continue;
      }
      String jti = streamId + ":" + tp.partition() + ":" + record.offset();
      if (parked.holdsBack(notice)) {
        park(jti, tp, record.offset(), notice);
        continue;
      }
      switch (maker.make(stream, notice, jti, false)) {
        case NoticeOutcome.Set made -> {
          pending.put(jti, new PendingSet(jti, made.set(), tp, record.offset()));
          open.get(tp).add(record.offset());
          handedOut = true;
        }
        case NoticeOutcome.NotYet notYet -> park(jti, tp, record.offset(), notice);
        case NoticeOutcome.Skip skip -> {}
      }
    }
    // Only a read that made no SET commits: it moves the position past notices that are not this
    // stream's, so a restart does not read them again. A SET made holds the position anyway until
    // it
    // is acknowledged, and that commits; committing here would delay its delivery by a transaction.
    if (any && !handedOut) {
      commit();
    }
  }

  /** Keeps the notice's offset open, so that a restart reads it again until it is decided. */
  private void park(String jti, TopicPartition tp, long offset, RevocationNotice notice) {
    parked.park(jti, tp, offset, notice);
    open.get(tp).add(offset);
  }

  private void retryParked() {
    if (parked.size() == 0) {
      return;
    }
    boolean skipped = false;
    for (ParkedNotices.Resolved r :
        parked.retry((p, lastTry) -> maker.make(stream, p.notice(), p.jti(), lastTry))) {
      ParkedNotices.Parked p = r.parked();
      if (r.outcome() instanceof NoticeOutcome.Set made) {
        pending.put(p.jti(), new PendingSet(p.jti(), made.set(), p.partition(), p.offset()));
      } else {
        done(p.partition(), p.offset());
        skipped = true;
      }
    }
    if (skipped) {
      commit();
    }
  }

  /**
   * Acknowledges SETs by {@code jti}: those pending here, and those of notices another instance (or
   * this one before a restart) handed out, which the {@code jti} names. Other ids are ignored
   * (acknowledged before, or never handed out).
   *
   * @return how many were pending here
   */
  public synchronized int ack(Collection<String> jtis) {
    int n = 0;
    boolean changed = false;
    for (String jti : jtis) {
      PendingSet p = pending.get(jti);
      if (p != null) {
        done(p);
        n++;
        changed = true;
      } else {
        changed |= ackElsewhere(jti);
      }
    }
    if (changed) {
      commit();
    }
    return n;
  }

  /**
   * Marks done the notice a {@code <stream id>:<partition>:<offset>} jti names, if it is one this
   * instance has not decided yet and that is in Kafka.
   */
  private boolean ackElsewhere(String jti) {
    if (!jti.startsWith(streamId + ":")) {
      return false;
    }
    String[] at = jti.substring(streamId.length() + 1).split(":");
    if (at.length != 2) {
      return false;
    }
    TopicPartition tp;
    long offset;
    try {
      int partition = Integer.parseInt(at[0]);
      offset = Long.parseLong(at[1]);
      tp = partitions.stream().filter(t -> t.partition() == partition).findFirst().orElse(null);
    } catch (NumberFormatException e) {
      return false;
    }
    if (tp == null || offset < 0 || ackedAhead.get(tp).contains(offset)) {
      return false;
    }
    long position = consumer.position(tp);
    if (offset < position && !open.get(tp).contains(offset)) {
      return false; // decided here already
    }
    if (offset >= position) {
      // Not read here yet: it must be in Kafka, or an id made up would be remembered forever.
      Long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
      if (end == null || offset >= end) {
        return false;
      }
    }
    parked.drop(p -> tp.equals(p.partition()) && p.offset() == offset);
    done(tp, offset);
    return true;
  }

  /**
   * Forgets a SET not made from a notice (verification, stream-updated) that was delivered by
   * another instance.
   */
  public synchronized void forget(String jti) {
    PendingSet p = pending.get(jti);
    if (p != null && p.partition() == null) {
      pending.remove(jti);
    }
  }

  /**
   * Catches up with what other API instances did on this stream: reads its committed position and
   * drops every SET it says is acknowledged, moving past them. Call it before handing out SETs that
   * another instance may have handed out and had acknowledged since (each poll; a push stream taken
   * over from another instance).
   *
   * @return whether the committed position was read; if not (Kafka did not answer), this instance
   *     knows only its own acknowledgements, and a pusher taking over must not push yet
   */
  public synchronized boolean refresh() {
    Map<TopicPartition, OffsetAndMetadata> committed = committedOrNull();
    if (committed == null && positions.claim()) {
      // Most likely an instance died while writing the position, leaving its transaction open:
      // claiming the writer aborted it, so the position is readable now.
      committed = committedOrNull();
    }
    if (committed == null) {
      return false;
    }
    merge(committed);
    return true;
  }

  /**
   * @return the stream's committed position (stable: a transaction writing it is waited for), or
   *     null when Kafka does not answer
   */
  private Map<TopicPartition, OffsetAndMetadata> committedOrNull() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(10));
      return committed == null ? Map.of() : committed;
    } catch (RuntimeException e) {
      LOG.warn("stream {}: reading its committed position failed: {}", streamId, e.toString());
      return null;
    }
  }

  /**
   * Takes in a committed position: every notice below its offset, and each one its metadata lists
   * beyond it, is done (its SET acknowledged, or the notice skipped) at whichever instance did it.
   */
  private void merge(Map<TopicPartition, OffsetAndMetadata> committed) {
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata at = committed.get(tp);
      if (at == null) {
        continue;
      }
      long point = at.offset();
      Set<Long> ahead = new HashSet<>(parseMetadata(point, at.metadata()));
      java.util.function.LongPredicate isDone = o -> o < point || ahead.contains(o);
      ackedAhead.get(tp).addAll(ahead);
      open.get(tp).removeIf(isDone::test);
      pending.values().removeIf(p -> tp.equals(p.partition()) && isDone.test(p.offset()));
      parked.drop(p -> tp.equals(p.partition()) && isDone.test(p.offset()));
      if (consumer.position(tp) < point) {
        consumer.seek(tp, point);
      }
    }
  }

  /**
   * Whether everything acknowledged here is in the stream's committed position; when the last
   * commit failed, commits again first. A pusher asks before it pushes the next SET, so that an
   * instance taking the stream over (this one dying) repeats at most the SET that was in flight.
   *
   * @return false while the position cannot be written (the reason was logged)
   */
  public synchronized boolean recorded() {
    if (unrecorded) {
      commit();
    }
    return !unrecorded;
  }

  /**
   * @return SETs pending, plus notices known to be waiting in Kafka (0 when unknown)
   */
  public synchronized long backlog() {
    long lag = 0;
    for (TopicPartition tp : partitions) {
      OptionalLong l = consumer.currentLag(tp);
      lag += l.orElse(0);
    }
    return pending.size() + parked.size() + lag;
  }

  /**
   * @return SETs handed out or ready, not yet acknowledged
   */
  public synchronized int pendingCount() {
    return pending.size();
  }

  private void done(PendingSet p) {
    pending.remove(p.jti());
    if (p.partition() != null) {
      done(p.partition(), p.offset());
    }
  }

  private void done(TopicPartition tp, long offset) {
    open.get(tp).remove(offset);
    ackedAhead.get(tp).add(offset);
  }

  /**
   * Commits the stream's position, merged first with the committed one, so that what other
   * instances acknowledged is kept. The {@link PositionWriter} makes the read and the write one
   * step: another instance's commit in between makes this one read and merge again. When the
   * committed position cannot be read, nothing is written (it would drop others' acknowledgements);
   * the next commit carries the same information.
   */
  private void commit() {
    unrecorded =
        !positions.write(
            () -> {
              Map<TopicPartition, OffsetAndMetadata> committed = committedOrNull();
              if (committed == null) {
                return null;
              }
              merge(committed);
              Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
              for (TopicPartition tp : partitions) {
                TreeSet<Long> waiting = open.get(tp);
                long point = waiting.isEmpty() ? consumer.position(tp) : waiting.first();
                TreeSet<Long> ahead = ackedAhead.get(tp);
                ahead.headSet(point).clear();
                offsets.put(tp, new OffsetAndMetadata(point, metadata(point, ahead)));
              }
              return offsets;
            });
  }

  /** The acknowledged offsets above the commit point, as distances from it: {@code "3,4,9"}. */
  static String metadata(long point, TreeSet<Long> ahead) {
    StringBuilder b = new StringBuilder();
    for (long offset : ahead) {
      String next = Long.toString(offset - point);
      if (b.length() + next.length() + 1 > MAX_METADATA) {
        break;
      }
      if (!b.isEmpty()) {
        b.append(',');
      }
      b.append(next);
    }
    return b.toString();
  }

  static List<Long> parseMetadata(long point, String metadata) {
    if (metadata == null || metadata.isBlank()) {
      return List.of();
    }
    try {
      return java.util.Arrays.stream(metadata.split(","))
          .map(s -> point + Long.parseLong(s.strip()))
          .collect(Collectors.toList());
    } catch (NumberFormatException e) {
      return List.of();
    }
  }

  @Override
  public synchronized void close() {
    positions.close();
    consumer.close(Duration.ofSeconds(2));
  }
}

package dev.ledger.streams.testing;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.streams.internal.LoopMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology ({@link LedgerTopology#build}) on a TopologyTestDriver, with every output
 * collected: latest token and notice per key, every audit record, alert and DLQ record.
 */
public final class Driver implements AutoCloseable {

  /** Wall-clock start: after every example's expiry, like a real run today. */
  public static final Instant WALL = Instant.parse("2026-11-23T08:00:00Z");

  private static final String STATE_DIR_PREFIX = "ledger-ttd-";

  private final TopologyTestDriver driver;
  private final Duration usesFlushInterval;

  /** The settings this driver runs with. */
  public final StreamsSettings settings;

  private final TestInputTopic<String, LedgerEvent> events;
  private final TestInputTopic<byte[], byte[]> rawEvents;
  private final TestOutputTopic<String, TokenNode> tokensOut;
  private final TestOutputTopic<String, AuditRecord> auditOut;
  private final TestOutputTopic<String, Alert> alertsOut;
  private final TestOutputTopic<String, RevocationNotice> revocationsOut;
  private final TestOutputTopic<byte[], byte[]> dlqOut;
  private final TestOutputTopic<String, LoopMessage> loopOut;

  public final Map<String, TokenNode> tokens = new LinkedHashMap<>();
  public final List<TokenNode> tokenHistory = new ArrayList<>();

  /** Audit records as first written (records without {@code amends}). */
  public final List<AuditRecord> audit = new ArrayList<>();

  /** Amendments of audit records (records of ledger.audit with {@code amends}), in topic order. */
  public final List<AuditRecord> amendments = new ArrayList<>();

  public final List<Alert> alerts = new ArrayList<>();
  public final Map<String, RevocationNotice> revocations = new HashMap<>();
  public final List<TestRecord<String, RevocationNotice>> revocationHistory = new ArrayList<>();
  public final List<TestRecord<byte[], byte[]>> dlq = new ArrayList<>();

  /** Every message of stage 1's resolve loop, in order. */
  public final List<LoopMessage> loop = new ArrayList<>();

  public Driver() {
    this(settings().build());
  }

  public Driver(StreamsSettings settings) {
    this.settings = settings;
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings), WALL);
    usesFlushInterval = settings.usesFlushInterval();
    events =
        driver.createInputTopic(
            Topics.EVENTS.name(),
            Serdes.String().serializer(),
            Topics.EVENTS.valueSerde().serializer());
    rawEvents =
        driver.createInputTopic(
            Topics.EVENTS.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    tokensOut =
        driver.createOutputTopic(
            Topics.TOKENS.name(),
            Serdes.String().deserializer(),
            Topics.TOKENS.valueSerde().deserializer());
    auditOut =
        driver.createOutputTopic(
            Topics.AUDIT.name(),
            Serdes.String().deserializer(),
            Topics.AUDIT.valueSerde().deserializer());
    alertsOut =
        driver.createOutputTopic(
            Topics.ALERTS.name(),
            Serdes.String().deserializer(),
            Topics.ALERTS.valueSerde().deserializer());
    revocationsOut =
        driver.createOutputTopic(
            Topics.REVOCATIONS.name(),
            Serdes.String().deserializer(),
            Topics.REVOCATIONS.valueSerde().deserializer());
    dlqOut =
        driver.createOutputTopic(
            Topics.DLQ.name(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
    loopOut =
        driver.createOutputTopic(
            LedgerTopology.resolveTopic(settings).name(),
            Serdes.String().deserializer(),
            LoopMessage.SERDE.deserializer());
  }

  /** Test settings: in-memory stores in a temporary state directory. */
  public static StreamsSettings.Builder settings() {
    try {
      return StreamsSettings.builder("unused:9092")
          .applicationId("ledger-test")
          .exactlyOnce(false)
          .stateDir(Files.createTempDirectory(STATE_DIR_PREFIX))
          .override(LedgerTopology.STORE_TYPE_OVERRIDE, "in_memory");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Driver send(LedgerEvent... batch) {
    return send(List.of(batch));
  }

  public Driver send(List<LedgerEvent> batch) {
    for (LedgerEvent event : batch) {
      events.pipeInput(Events.key(event), event);
    }
    return drain();
  }

  /**
   * Sends events as {@code POST /v1/events} writes them: with the {@code ledger.submitted_by}
   * header.
   */
  public Driver sendSubmittedBy(String submittedBy, LedgerEvent... batch) {
    for (LedgerEvent event : batch) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(Topics.EVENTS_HEADER_SUBMITTED_BY, submittedBy.getBytes(StandardCharsets.UTF_8));
      events.pipeInput(new TestRecord<>(Events.key(event), event, headers));
    }
    return drain();
  }

  /**
   * Sends events as a producer writing to Kafka directly does: without {@code received_at}, in
   * records whose Kafka timestamp is {@code recordTime}.
   */
  public Driver sendAt(Instant recordTime, LedgerEvent... batch) {
    for (LedgerEvent event : batch) {
      events.pipeInput(new TestRecord<>(Events.key(event), event, new RecordHeaders(), recordTime));
    }
    return drain();
  }

  public Driver sendRaw(byte[] key, byte[] value) {
    rawEvents.pipeInput(key, value);
    return drain();
  }

  public Driver advance(Duration wallClock) {
    driver.advanceWallClockTime(wallClock);
    return drain();
  }

  /**
   * Advances the wall clock by one uses flush interval, so that {@code uses} on ledger.tokens
   * counts every use sent so far (it is emitted coalesced, see TreeProcessor).
   */
  public Driver flushUses() {
    return advance(usesFlushInterval);
  }

  /** The underlying driver, to look at every topic written, changelogs included. */
  public TopologyTestDriver driver() {
    return driver;
  }

  public TokenNode token(String tenant, String tokenId) {
    return tokens.get(tenant + "/" + tokenId);
  }

  public List<AuditRecord> auditOf(String eventId) {
    return audit.stream().filter(a -> a.getEventId().equals(eventId)).toList();
  }

  public List<Alert> alertsOf(String tokenId) {
    return alerts.stream().filter(a -> a.getTokenId().equals(tokenId)).toList();
  }

  private Driver drain() {
    for (TestRecord<String, TokenNode> r : tokensOut.readRecordsToList()) {
      tokens.put(r.key(), r.value());
      tokenHistory.add(r.value());
    }
    auditOut.readValuesToList().forEach(a -> (a.getAmends() == null ? audit : amendments).add(a));
    alertsOut.readValuesToList().forEach(alerts::add);
    for (TestRecord<String, RevocationNotice> r : revocationsOut.readRecordsToList()) {
      revocations.put(r.key(), r.value());
      revocationHistory.add(r);
    }
    dlq.addAll(dlqOut.readRecordsToList());
    loop.addAll(loopOut.readValuesToList());
    return this;
  }

  @Override
  public void close() {
    driver.close();
    deleteTemporaryStateDir(settings.stateDir());
  }

  /** The state directory {@link #settings()} made (and only that): a suite leaves no temp dirs. */
  private static void deleteTemporaryStateDir(Path dir) {
    if (!dir.getFileName().toString().startsWith(STATE_DIR_PREFIX)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.ledger.schemas;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.serde.AvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of the ledger's topics (CONTRACT.md section 3). Producers, the topology, the
 * indexer and topic creation all take names, serdes and configs from here, never from literals.
 */
public final class Topics {

  private static final Serde<String> KEY = Serdes.String();

  /** Retained forever: the source of truth. */
  public static final Topic<String, LedgerEvent> EVENTS =
      new Topic<>(
          "ledger.events",
          KEY,
          AvroSerde.of(LedgerEvent.class),
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              "-1",
              TopicConfig.RETENTION_BYTES_CONFIG,
              "-1"));

  /** Latest resolved state of each token: compacted. */
  public static final Topic<String, TokenNode> TOKENS =
      new Topic<>(
          "ledger.tokens",
          KEY,
          AvroSerde.of(TokenNode.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /** Audit trail; retention is configurable per deployment, forever by default. */
  public static final Topic<String, AuditRecord> AUDIT =
      new Topic<>(
          "ledger.audit",
          KEY,
          AvroSerde.of(AuditRecord.class),
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              "-1"));

  /** Live revocations: compacted, a tombstone once the token has expired. */
  public static final Topic<String, RevocationNotice> REVOCATIONS =
      new Topic<>(
          "ledger.revocations",
          KEY,
          AvroSerde.of(RevocationNotice.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /** Violations, retained. */
  public static final Topic<String, Alert> ALERTS =
      new Topic<>(
          "ledger.alerts",
          KEY,
          AvroSerde.of(Alert.class),
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              "-1"));

  /** Rejected input, exactly as received, with headers saying why. */
  public static final Topic<byte[], byte[]> DLQ =
      new Topic<>(
          "ledger.dlq",
          Serdes.ByteArray(),
          Serdes.ByteArray(),
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              "-1"));

  /**
   * The SSF transmitter's event streams (CONTRACT.md section 6): key the stream id, value the
   * stream's configuration and state as UTF-8 JSON, a tombstone once deleted. Compacted, so every
   * API instance reads the live set from the beginning.
   */
  public static final Topic<String, String> SSF_STREAMS =
      new Topic<>(
          "ledger.ssf.streams",
          KEY,
          Serdes.String(),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /**
   * {@code ledger.events} header: the id of the credential that submitted the event over {@code
   * POST /v1/events} (an API key id, or {@code jwt:<sub>}), UTF-8. Absent on events written to
   * Kafka directly. The stream processor copies it into the AuditRecord's {@code submitted_by}.
   */
  public static final String EVENTS_HEADER_SUBMITTED_BY = "ledger.submitted_by";

  /** DLQ header: a machine-readable reason code. */
  public static final String DLQ_HEADER_REASON = "ledger.dlq.reason";

  /** DLQ header: a human-readable explanation. */
  public static final String DLQ_HEADER_MESSAGE = "ledger.dlq.message";

  /** DLQ header: topic, partition and offset the record came from. */
  public static final String DLQ_HEADER_ORIGIN = "ledger.dlq.origin";

  /** Every public topic, in the order of CONTRACT.md section 3. */
  public static List<Topic<?, ?>> all() {
    return List.of(EVENTS, TOKENS, AUDIT, REVOCATIONS, ALERTS, DLQ, SSF_STREAMS);
  }

  private Topics() {}
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where a processor's results go: one method per output, each forwarding to the sink node of that
 * output. Every processor has its own sink nodes (named {@code <processor>-<output>}) so the two
 * stages stay separate sub-topologies with their own tasks. Records carry no input headers and the
 * wall-clock time of the change as timestamp.
 */
public final class Outputs {

  /** Output names; a sink node is {@code processorName + "-" + output}. */
  public static final String TOKENS = "tokens";

  public static final String AUDIT = "audit";
  public static final String ALERTS = "alerts";
  public static final String REVOCATIONS = "revocations";
  public static final String DLQ = "dlq";
  public static final String RESOLVE = "resolve";
  public static final String TREES = "trees";

  private final ProcessorContext<Object, Object> context;
  private final String prefix;

  public Outputs(ProcessorContext<Object, Object> context, String processorName) {
    this.context = context;
    this.prefix = processorName + "-";
  }

  /** The sink node name of {@code output} for processor {@code processorName}. */
  public static String sink(String processorName, String output) {
    return processorName + "-" + output;
  }

  /**
   * Asks Kafka Streams to commit once this record is processed rather than when the commit interval
   * is up: for revocations, whose notices resource servers wait on, and which are rare enough that
   * the extra transactions cost nothing measurable. Under exactly-once nothing downstream sees a
   * record before its transaction commits, so this takes up to a commit interval off each stage.
   */
  public void commitSoon() {
    context.commit();
  }

  public long now() {
    return context.currentSystemTimeMs();
  }

  public void token(String key, TokenNode node) {
    send(TOKENS, key, node);
  }

  /**
   * A TokenNode already encoded with the ledger.tokens serde (for sinks that write bytes as they
   * are).
   */
  public void token(String key, byte[] encodedNode) {
    send(TOKENS, key, encodedNode);
  }

  public void audit(String key, AuditRecord record) {
    send(AUDIT, key, record);
  }

  public void alert(String key, Alert alert) {
    send(ALERTS, key, alert);
  }

  /** One alert per violation {@code event} raised on token {@code tokenId} (of its tenant). */
  public void alerts(
      LedgerEvent event, String tokenId, Collection<ViolationKind> violations, TokenNode node) {
    for (ViolationKind kind : violations) {
      alert(
          LedgerKey.of(event.getTenant(), tokenId).toString(),
          LedgerRecords.alert(event, tokenId, kind, node, now()));
    }
  }

  /** A revocation notice, or a tombstone when {@code notice} is null. */
  public void revocation(String key, RevocationNotice notice) {
    send(REVOCATIONS, key, notice);
  }

  public void resolve(String key, LoopMessage message) {
    send(RESOLVE, key, message);
  }

  public void tree(String key, TreeMessage message) {
    send(TREES, key, message);
  }

  /** A rejected record, value bytes as received, with the ledger's DLQ headers. */
  public void dlq(byte[] key, byte[] value, String reason, String message) {
    dlq(key, value, reason, message, null);
  }

  /**
   * As {@link #dlq(byte[], byte[], String, String)}, keeping the {@code ledger.submitted_by} header
   * of the rejected event when it had one.
   */
  public void dlq(byte[] key, byte[] value, String reason, String message, String submittedBy) {
    RecordHeaders headers = new RecordHeaders();
    if (submittedBy != null) {
      headers.add(Topics.EVENTS_HEADER_SUBMITTED_BY, submittedBy.getBytes(StandardCharsets.UTF_8));
    }
    String origin =
        context
            .recordMetadata()
            .map(m -> Dlq.origin(m.topic(), m.partition(), m.offset()))
            .orElse("unknown");
    Dlq.annotate(headers, reason, message, origin);
    context.forward(new Record<Object, Object>(key, value, now(), headers), prefix + DLQ);
  }

  private void send(String output, String key, Object value) {
    context.forward(new Record<Object, Object>(key, value, now()), prefix + output);
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a record the ledger writes cannot be sent: a retriable error is retried as
 * Kafka Streams does by default; any other (a record too large for the producer, one refused by
 * {@link SizeGuard}, a serializer failure) skips that one record and writes its identity and reason
 * to {@code ledger.dlq} (KIP-1034 dead-letter records, sent in the same transaction), so that one
 * record never stops a stream thread and never blocks a partition.
 *
 * <p>The DLQ record is small whatever the lost record was: its key (cut to {@value #MAX_KEY_BYTES}
 * bytes), no value, and the ledger's three headers: reason {@value #TOO_LARGE} or {@value
 * #PRODUCTION_ERROR}, a message naming the destination topic, the size and the error, and the
 * origin of the input record being processed. The record itself is lost; its input record stays on
 * its topic.
 *
 * <p>Under exactly-once, a record refused by the producer itself (rather than by {@link SizeGuard}
 * before it reaches the producer) puts the transaction in an abortable state, so the batch is
 * retried and the same error comes back; that is why every sink's serializer is wrapped in a {@link
 * SizeGuard} set below the producer's {@code max.request.size}.
 */
public final class DlqProductionHandler extends DefaultProductionExceptionHandler {

  /** DLQ reason of a record larger than the ledger may write. */
  public static final String TOO_LARGE = "too_large";

  /** DLQ reason of any other record that could not be written. */
  public static final String PRODUCTION_ERROR = "production_error";

  /** Longest key a DLQ record of this handler carries. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final int MAX_MESSAGE_CHARS = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(DlqProductionHandler.class);
  private static final AtomicLong SKIPPED = new AtomicLong();

  /** Records skipped by this handler in this JVM since it started (every instance). */
  public static long skipped() {
    return SKIPPED.get();
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return super.handleError(context, record, exception);
    }
    int size =
        (record.key() == null ? 0 : record.key().length)
            + (record.value() == null ? 0 : record.value().length);
    return skip(context, record.topic(), record.key(), size, exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    Object key = record.key();
    byte[] keyBytes =
        key instanceof byte[] bytes
            ? bytes
            : key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8);
    return skip(context, record.topic(), keyBytes, -1, exception);
  }

  private static Response skip(
      ErrorHandlerContext context, String topic, byte[] key, int size, Exception exception) {
    String reason = exception instanceof RecordTooLargeException ? TOO_LARGE : PRODUCTION_ERROR;
    String origin =
        context.topic() == null
            ? "punctuation"
            : Dlq.origin(context.topic(), context.partition(), context.offset());
    String message =
        cut(
            "record for "
                + topic
                + (size >= 0 ? " of " + size + " bytes" : "")
                + " not written: "
                + exception.getClass().getSimpleName()
                + ": "
                + exception.getMessage());
    long skipped = SKIPPED.incrementAndGet();
    LOG.error(
        "ledger output record skipped and sent to {}: reason={} topic={} origin={} processor={} skipped_total={} {}",
        Topics.DLQ.name(),
        reason,
        topic,
        origin,
        context.processorNodeId(),
        skipped,
        message);
    byte[] dlqKey =
        key == null || key.length <= MAX_KEY_BYTES ? key : Arrays.copyOf(key, MAX_KEY_BYTES);
    ProducerRecord<byte[], byte[]> dlq =
        new ProducerRecord<>(
            Topics.DLQ.name(),
            null,
            dlqKey,
            null,
            Dlq.annotate(new RecordHeaders(), reason, message, origin));
    return Response.resume(List.of(dlq));
  }

  private static String cut(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}

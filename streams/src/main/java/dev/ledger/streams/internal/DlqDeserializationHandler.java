package dev.ledger.streams.internal;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams' built-in dead-letter queue for undecodable input (KIP-1034: log, continue and
 * write the raw record to {@code errors.dead.letter.queue.topic.name} inside the same transaction),
 * plus the ledger's own reason, message and origin headers so every DLQ record reads the same way
 * whatever rejected it.
 */
public final class DlqDeserializationHandler extends LogAndContinueExceptionHandler {

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Response builtIn = super.handleError(context, record, exception);
    List<ProducerRecord<byte[], byte[]>> annotated =
        builtIn.deadLetterQueueRecords().stream()
            .peek(
                r ->
                    Dlq.annotate(
                        r.headers(),
                        Dlq.UNDECODABLE,
                        String.valueOf(exception.getMessage()),
                        Dlq.origin(context.topic(), context.partition(), context.offset())))
            .toList();
    return Response.resume(annotated);
  }
}

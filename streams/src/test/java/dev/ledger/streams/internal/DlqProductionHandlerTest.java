package dev.ledger.streams.internal;

import static dev.ledger.streams.internal.DlqDeserializationHandlerTest.context;
import static dev.ledger.streams.internal.DlqDeserializationHandlerTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.Test;

class DlqProductionHandlerTest {

  private final DlqProductionHandler handler = new DlqProductionHandler();
  private final ProducerRecord<byte[], byte[]> huge =
      new ProducerRecord<>(
          Topics.TOKENS.name(), "acme/t".getBytes(StandardCharsets.UTF_8), new byte[2_000_000]);

  @Test
  void aRecordTooLargeIsSkippedWithItsIdentityAndReasonOnTheDlq() {
    Response response =
        handler.handleError(context(), huge, new RecordTooLargeException("2000000 bytes"));
    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            dlq -> {
              assertThat(dlq.topic()).isEqualTo(Topics.DLQ.name());
              assertThat(dlq.key()).isEqualTo(huge.key());
              assertThat(dlq.value()).as("never the record itself: it is too large").isNull();
              assertThat(header(dlq, Topics.DLQ_HEADER_REASON))
                  .isEqualTo(DlqProductionHandler.TOO_LARGE);
              assertThat(header(dlq, Topics.DLQ_HEADER_MESSAGE))
                  .isEqualTo(
                      "record for ledger.tokens of 2000006 bytes not written: RecordTooLargeException: 2000000 bytes");
              assertThat(header(dlq, Topics.DLQ_HEADER_ORIGIN)).isEqualTo("ledger.events/2@41");
            });
  }

  @Test
  void otherNonRetriableErrorsAreSkippedTooAndRetriableOnesRetried() {
    Response other =
        handler.handleError(context(), huge, new InvalidTopicException("no such topic"));
    assertThat(other.result()).isEqualTo(Result.RESUME);
    assertThat(header(other.deadLetterQueueRecords().getFirst(), Topics.DLQ_HEADER_REASON))
        .isEqualTo(DlqProductionHandler.PRODUCTION_ERROR);
    Response retriable = handler.handleError(context(), huge, new TimeoutException("broker away"));
    assertThat(retriable.result()).isEqualTo(Result.RETRY);
    assertThat(retriable.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void aRecordRefusedWhileSerializingIsSkippedWithAShortKeyAndMessage() {
    String longKey = "acme/" + "k".repeat(5000);
    Response response =
        handler.handleSerializationError(
            context(),
            new ProducerRecord<>(Topics.DLQ.name(), longKey, "value"),
            new RecordTooLargeException("x".repeat(5000)),
            SerializationExceptionOrigin.VALUE);
    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            dlq -> {
              assertThat(dlq.key()).hasSize(DlqProductionHandler.MAX_KEY_BYTES);
              assertThat(header(dlq, Topics.DLQ_HEADER_REASON))
                  .isEqualTo(DlqProductionHandler.TOO_LARGE);
              assertThat(header(dlq, Topics.DLQ_HEADER_MESSAGE))
                  .startsWith("record for ledger.dlq not written")
                  .hasSizeLessThan(1100);
            });
  }
}

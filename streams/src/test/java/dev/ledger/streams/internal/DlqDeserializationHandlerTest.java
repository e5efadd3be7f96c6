package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DlqDeserializationHandlerTest {

  private static final byte[] KEY = "acme/x".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = "not avro".getBytes(StandardCharsets.UTF_8);

  @Test
  void resumesAndWritesTheRawRecordWithBuiltInAndLedgerHeaders() {
    DlqDeserializationHandler handler = new DlqDeserializationHandler();
    handler.configure(
        Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name()));
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("ledger.events", 2, 41L, KEY, VALUE);
    DeserializationExceptionHandler.Response response =
        handler.handleError(context(), record, new SerializationException("bad bytes"));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            dlq -> {
              assertThat(dlq.topic()).isEqualTo(Topics.DLQ.name());
              assertThat(dlq.key()).isEqualTo(KEY);
              assertThat(dlq.value()).isEqualTo(VALUE);
              assertThat(header(dlq, Topics.DLQ_HEADER_REASON)).isEqualTo(Dlq.UNDECODABLE);
              assertThat(header(dlq, Topics.DLQ_HEADER_MESSAGE)).isEqualTo("bad bytes");
              assertThat(header(dlq, Topics.DLQ_HEADER_ORIGIN)).isEqualTo("ledger.events/2@41");
              assertThat(header(dlq, "__streams.errors.exception"))
                  .contains("SerializationException");
            });
  }

  static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** The context of a record read from ledger.events partition 2 at offset 41. */
  static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return "ledger.events";
      }

      @Override
      public int partition() {
        return 2;
      }

      @Override
      public long offset() {
        return 41L;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "events";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, 2);
      }

      @Override
      public long timestamp() {
        return 0L;
      }

      @Override
      public byte[] sourceRawKey() {
        return KEY;
      }

      @Override
      public byte[] sourceRawValue() {
        return VALUE;
      }
    };
  }
}

package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.testkit.TestKafka;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads {@code ledger.events} as any consumer in any language could: read_committed, values decoded
 * with a {@link GenericDatumReader} built only from the {@code .avsc} file.
 */
public final class TopicReader {

  private static final Schema SCHEMA = parse("../schemas/src/main/avro/LedgerEvent.avsc");

  private TopicReader() {}

  /** One event as a read_committed consumer sees it, decoded without the generated classes. */
  public record Seen(String key, GenericRecord value) {
    public String tenant() {
      return value.get("tenant").toString();
    }

    public String eventId() {
      return value.get("event_id").toString();
    }
  }

  /**
   * Reads from the start until {@code done} holds (at most 20 s, asserted), then 300 ms more to
   * catch extras.
   */
  public static List<Seen> readUntil(String bootstrap, Predicate<List<Seen>> done) {
    List<Seen> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(TestKafka.consumerProps(bootstrap))) {
      consumer.subscribe(List.of(Topics.EVENTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!done.test(seen) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(decode(r)));
      }
      long settle = System.nanoTime() + Duration.ofMillis(300).toNanos();
      while (System.nanoTime() < settle) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(decode(r)));
      }
    }
    assertThat(done.test(seen)).as("expected records arrived").isTrue();
    return seen;
  }

  /**
   * Single-object encoding: C3 01, the schema's 8-byte little-endian fingerprint, then the Avro
   * binary body.
   */
  private static Seen decode(ConsumerRecord<byte[], byte[]> record) {
    byte[] bytes = record.value();
    assertThat(Arrays.copyOfRange(bytes, 0, 2)).containsExactly((byte) 0xC3, (byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(SCHEMA));
    try {
      GenericRecord value =
          new GenericDatumReader<GenericRecord>(SCHEMA)
              .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
      return new Seen(new String(record.key(), StandardCharsets.UTF_8), value);
    } catch (IOException e) {
      throw new AssertionError("cannot decode " + record, e);
    }
  }

  private static Schema parse(String path) {
    try {
      return new Schema.Parser().parse(new File(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

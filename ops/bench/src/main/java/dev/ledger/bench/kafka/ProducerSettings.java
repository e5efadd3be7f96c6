package dev.ledger.bench.kafka;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one producer configuration both the ledger's producers and Kafka's ceiling use, so the ratio
 * between them measures the pipeline and nothing else: idempotent, {@code acks=all}, {@code
 * linger.ms=5} (as the ledger's ingest publisher), 64 KiB batches, no compression, bytes in and out
 * (values are encoded before sending, as kafka-producer-perf-test sends a ready payload).
 */
public final class ProducerSettings {

  private ProducerSettings() {}

  /** Producer properties for the broker {@code kafka} reaches (its login included). */
  public static Map<String, Object> properties(KafkaClientSettings kafka) {
    Map<String, Object> p = kafka.config();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return p;
  }

  /**
   * A new producer of bytes with {@link #properties(KafkaClientSettings)}; the caller closes it.
   */
  public static KafkaProducer<byte[], byte[]> producer(KafkaClientSettings kafka) {
    return new KafkaProducer<>(properties(kafka));
  }
}

package dev.ledger.bench.ledger;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.nio.file.Path;

/**
 * A running ledger a benchmark drives: in the bench's own JVM ({@link BenchLedger}) or in a JVM of
 * its own ({@link LedgerProcess}), so that its memory and CPU can be measured without the load
 * generator's.
 */
public interface LedgerUnderTest extends AutoCloseable {

  /**
   * How to reach its broker: bootstrap servers and login, as {@code ledger up} wrote them to {@code
   * data/kafka-client.properties} (the broker takes no client without them).
   */
  KafkaClientSettings kafkaClient();

  /** A client for the HTTP API with the admin key. */
  ApiCalls api();

  /** Records the indexer has written from {@code topic} so far. */
  double indexed(String topic);

  /** Records the indexer is behind the output topics' ends; NaN while unknown. */
  double indexLag();

  /** Its data directory ({@code kafka/}, {@code streams/}, {@code index/} below it). */
  Path dataDir();

  /**
   * Bytes under {@code sub} of the data directory (e.g. {@code kafka}, {@code streams}, {@code
   * index}).
   */
  default long diskBytes(String sub) {
    return dev.ledger.bench.harness.Dirs.sizeOf(dataDir().resolve(sub));
  }

  /** Stops it and deletes a temporary data directory. */
  @Override
  void close();
}

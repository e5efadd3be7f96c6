package dev.ledger.bench.floor;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.internal.LedgerRecords;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * What a floor process runs on its broker: nothing (the producer ceiling), or a Kafka Streams
 * topology that moves each event and nothing else, and for {@link #INDEXED} the ledger's indexer.
 * Each shape writes a known number of records per event ({@link #recordsWritten()}, counted by
 * {@code FloorShapeTest}); together they price a written record, which the ledger's own topology
 * writes several of per event.
 */
public enum FloorShape {
  /** No stream processor: the broker alone takes the events, as in the producer ceiling. */
  BROKER(0),
  /** Each event copied to the output topic: the least a stream processor can do with it. */
  PASS_THROUGH(1),
  /**
   * Each event through a repartition topic, then to the output: the least for a use (its
   * input, one repartition, its audit record), with no state.
   */
  REPARTITIONED(2),
  /**
   * As {@link #REPARTITIONED}, and each event also put in a cached, logged RocksDB store keyed by
   * its key (as a budget or dedupe entry would be): one changelog record more before coalescing.
   */
  STORED(3),
  /**
   * As {@link #REPARTITIONED}, each event turned into its audit record (without a chain: no token
   * state) on {@code ledger.audit}, which the ledger's own indexer, in the same JVM, makes a Lucene
   * document of: the least a ledger that indexes every audit record must do.
   */
  INDEXED(2);

  /** The topic the events are sent to. */
  public static final String INPUT = "floor.events";

  /** The topic every shape but {@link #INDEXED} writes each event to ({@link #output()}). */
  public static final String OUTPUT = "floor.out";

  static final String STORE = "floor-store";

  private final int recordsWritten;

  FloorShape(int recordsWritten) {
    this.recordsWritten = recordsWritten;
  }

  /** The topic this shape's processor writes each event to. */
  public String output() {
    return this == INDEXED ? Topics.AUDIT.name() : OUTPUT;
  }

  /** Whether the floor process also runs the ledger's indexer on {@link #output()}. */
  public boolean indexed() {
    return this == INDEXED;
  }

  /** Records the topology writes per event, changelogs and repartitions included. */
  public int recordsWritten() {
    return recordsWritten;
  }

  /**
   * The topology of this shape.
   *
   * @throws IllegalStateException for {@link #BROKER}, which runs none
   */
  public Topology topology() {
    if (this == BROKER) {
      throw new IllegalStateException("the broker shape runs no stream processor");
    }
    StreamsBuilder builder = new StreamsBuilder();
    KStream<byte[], byte[]> events =
        builder.stream(INPUT, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
    if (this != PASS_THROUGH) {
      events =
          events.repartition(
              Repartitioned.<byte[], byte[]>as("floor-by-key")
                  .withKeySerde(Serdes.ByteArray())
                  .withValueSerde(Serdes.ByteArray()));
    }
    if (this == STORED) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(STORE), Serdes.ByteArray(), Serdes.ByteArray())
              .withCachingEnabled());
      events = events.processValues(Keep::new, STORE);
    }
    if (this == INDEXED) {
      events = events.mapValues(FloorShape::auditRecord);
    }
    events.to(output(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    return builder.build();
  }

  /** The encoded audit record of an encoded event, as the ledger writes it for an unknown token. */
  static byte[] auditRecord(byte[] event) {
    LedgerEvent e =
        Topics.EVENTS.valueSerde().deserializer().deserialize(Topics.EVENTS.name(), event);
    return Topics.AUDIT
        .valueSerde()
        .serializer()
        .serialize(
            Topics.AUDIT.name(),
            LedgerRecords.audit(e, null, List.of(), System.currentTimeMillis()));
  }

  /** Puts each event in the store under its key, then passes it on. */
  private static final class Keep implements FixedKeyProcessor<byte[], byte[], byte[]> {
    private FixedKeyProcessorContext<byte[], byte[]> context;
    private KeyValueStore<byte[], byte[]> store;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
      store.put(record.key(), record.value());
      context.forward(record);
    }
  }
}

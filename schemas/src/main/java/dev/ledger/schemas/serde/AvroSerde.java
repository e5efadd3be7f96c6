package dev.ledger.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one generated Avro record class, in Avro single-object encoding ({@code C3 01},
 * an 8-byte schema fingerprint, the binary body), so any Avro library can decode the bytes with the
 * {@code .avsc} file alone.
 *
 * <p>A null value (a tombstone) maps to null bytes and back. Bytes that are not a record of this
 * schema throw {@link SerializationException}, which Kafka Streams hands to its deserialization
 * exception handler, so bad input becomes a DLQ record rather than a crash.
 *
 * <p>Avro 1.12 refuses to instantiate classes it was not told to trust. Loading this class adds the
 * ledger's generated package, {@value #TRUSTED_PACKAGE}, to Avro's global trust (keeping whatever
 * the JVM already trusts), so an application that only decodes through this serde, such as a
 * resource server with the revocation subscriber, needs no flag. Code that copies generated records
 * with nested records (builders from another record) before any serde is loaded still needs {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.ledger.schemas.avro}; the launcher and the tests set
 * it.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /** The package of the generated records; the only one this class adds to Avro's trust. */
  public static final String TRUSTED_PACKAGE = "dev.ledger.schemas.avro";

  static {
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            previous, c -> c.getName().startsWith(TRUSTED_PACKAGE + ".")));
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    // A record written under an earlier published schema carries that schema's fingerprint: resolve
    // it to the current class (the history is compatible both ways, SchemasTest checks that).
    for (Schema old : SchemaHistory.of(type.getSimpleName())) {
      decoder.addSchema(old);
    }
  }

  /** A serde for the generated class {@code type}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(Objects.requireNonNull(type, "type"));
  }

  /** Encodes one record; null gives null. */
  public byte[] encode(T value) {
    if (value == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes one record; null gives null. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "not a " + type.getSimpleName() + " in Avro single-object encoding: " + e.getMessage(),
          e);
    }
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}

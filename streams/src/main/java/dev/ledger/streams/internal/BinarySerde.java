package dev.ledger.streams.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for the topology's internal values, written with {@link DataOutputStream} after a
 * one-byte format version. Internal values never leave the application (state stores, the resolve
 * loop, the tree topic), so they need no Avro schema; a version byte leaves room to change them.
 *
 * @param <T> the value type; null maps to null bytes (tombstones)
 */
public final class BinarySerde<T> implements Serde<T> {

  /** Writes one value. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads one value. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  // 2: links keep no definition once resolved, the tree processor keeps pending uses. 3: events
  // carry their submitter, links who defined them. 4: links keep their definition's event id (a
  // definition has no dedupe entry). Internal state is rebuilt from ledger.events rather than read
  // in an older format (streams/README.md).
  private static final byte VERSION = 4;

  private final String name;
  private final Writer<T> writer;
  private final Reader<T> reader;

  public BinarySerde(String name, Writer<T> writer, Reader<T> reader) {
    this.name = name;
    this.writer = writer;
    this.reader = reader;
  }

  public byte[] encode(T value) {
    if (value == null) {
      return null;
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      writer.write(value, out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + name + ": " + e.getMessage(), e);
    }
  }

  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IOException("unknown format version " + version);
      }
      return reader.read(in);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }

  // Field helpers shared by the internal value types.

  static void writeNullable(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] value = new byte[in.readInt()];
    in.readFully(value);
    return value;
  }

  static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String value : values) {
      out.writeUTF(value);
    }
  }

  static List<String> readStrings(DataInputStream in) throws IOException {
    int size = in.readInt();
    List<String> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(in.readUTF());
    }
    return List.copyOf(values);
  }
}

package dev.ledger.streams.internal;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serializer that refuses to hand the producer a key or value larger than the ledger may write.
 * The refusal happens while Kafka Streams serializes, before anything reaches the producer, so
 * {@link DlqProductionHandler} can skip the record without touching the transaction (a record the
 * producer refuses itself would abort it under exactly-once, again and again).
 *
 * @param <T> the serialized type
 */
public final class SizeGuard<T> implements Serializer<T> {

  /** Bytes of {@code max.request.size} kept for the key, the headers and the batch framing. */
  public static final int HEADROOM = 16 * 1024;

  /**
   * Longest key any output may have: ids are bounded far below it (DLQ copies of raw input are
   * not).
   */
  public static final int MAX_KEY_BYTES = 4 * 1024;

  private final Serializer<T> inner;
  private final int maxBytes;

  private SizeGuard(Serializer<T> inner, int maxBytes) {
    this.inner = inner;
    this.maxBytes = maxBytes;
  }

  /** Guards a sink's key serializer ({@value #MAX_KEY_BYTES} bytes at most). */
  public static <T> Serializer<T> key(Serializer<T> inner) {
    return new SizeGuard<>(inner, MAX_KEY_BYTES);
  }

  /**
   * Guards a sink's value serializer for a producer whose {@code max.request.size} is {@code
   * maxRequestSize}.
   */
  public static <T> Serializer<T> value(Serializer<T> inner, int maxRequestSize) {
    return new SizeGuard<>(inner, Math.max(1, maxRequestSize - HEADROOM));
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return check(topic, inner.serialize(topic, data));
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    return check(topic, inner.serialize(topic, headers, data));
  }

  private byte[] check(String topic, byte[] bytes) {
    if (bytes != null && bytes.length > maxBytes) {
      throw new RecordTooLargeException(
          "a record of "
              + bytes.length
              + " bytes for "
              + topic
              + " is larger than the "
              + maxBytes
              + " bytes the ledger writes at most");
    }
    return bytes;
  }
}

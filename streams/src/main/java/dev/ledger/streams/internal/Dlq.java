package dev.ledger.streams.internal;

import dev.ledger.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Writes the ledger's own DLQ headers (reason, message, origin) onto a rejected record. */
public final class Dlq {

  /** Reason code for bytes that are not a LedgerEvent. */
  public static final String UNDECODABLE = "undecodable";

  /** Reason code for a second definition of a token already defined by another event. */
  public static final String DUPLICATE_TOKEN = "duplicate_token";

  private Dlq() {}

  /** Adds the three ledger headers; {@code origin} is {@code topic/partition@offset}. */
  public static Headers annotate(Headers headers, String reason, String message, String origin) {
    headers.add(Topics.DLQ_HEADER_REASON, utf8(reason));
    headers.add(Topics.DLQ_HEADER_MESSAGE, utf8(message));
    headers.add(Topics.DLQ_HEADER_ORIGIN, utf8(origin));
    return headers;
  }

  /**
   * How a DLQ message names who submitted an event: its credential id, or that it came without one.
   */
  public static String submitter(String submittedBy) {
    return submittedBy == null ? "unknown: written to Kafka directly" : submittedBy;
  }

  public static String origin(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }

  private static byte[] utf8(String value) {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * An event with the id of the credential that submitted it: the {@code ledger.submitted_by} header
 * of its {@code ledger.events} record, which stage 1 reads and the AuditRecord carries as {@code
 * submitted_by}.
 *
 * <p>A subclass of the generated {@link LedgerEvent} rather than a wrapper, so that every internal
 * message and store that carries an event ({@link TokenLink}, {@link Parked}, {@link TreeMessage})
 * carries its submitter without the processors passing it along: they write and read events with
 * {@link #write} and {@link #read}, which add it after the Avro body. An event without a submitter
 * stays a plain {@link LedgerEvent}.
 */
public final class SubmittedEvent extends LedgerEvent {

  /**
   * Longest submitter id kept; an API key id is 16 characters, a JWT subject rarely more than 255.
   */
  static final int MAX_LENGTH = 1024;

  private final String submittedBy;

  private SubmittedEvent(LedgerEvent event, String submittedBy) {
    for (int i = 0; i < event.getSchema().getFields().size(); i++) {
      put(i, event.get(i));
    }
    this.submittedBy = submittedBy;
  }

  /**
   * {@code event} submitted by {@code submittedBy}.
   *
   * @param submittedBy the credential id, or null when unknown (then {@code event} itself is
   *     returned)
   */
  public static LedgerEvent of(LedgerEvent event, String submittedBy) {
    Objects.requireNonNull(event, "event");
    return submittedBy == null ? event : new SubmittedEvent(event, submittedBy);
  }

  /**
   * The submitter named by the {@code ledger.submitted_by} header (the last one, if repeated); null
   * without one. A value beyond {@link #MAX_LENGTH} characters is cut there: it is written by
   * whoever can write to Kafka, and must not inflate every record derived from the event.
   */
  public static String fromHeaders(Headers headers) {
    Header header = headers == null ? null : headers.lastHeader(Topics.EVENTS_HEADER_SUBMITTED_BY);
    if (header == null || header.value() == null) {
      return null;
    }
    String value = new String(header.value(), StandardCharsets.UTF_8);
    return value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
  }

  /**
   * @return who submitted {@code event}, or null when it was written to Kafka without the header
   */
  public static String submitterOf(LedgerEvent event) {
    return event instanceof SubmittedEvent s ? s.submittedBy : null;
  }

  /** Writes {@code event} and its submitter, for an internal value. */
  static void write(DataOutputStream out, LedgerEvent event) throws IOException {
    BinarySerde.writeBytes(out, RawEvent.EVENT_SERDE.encode(event));
    BinarySerde.writeNullable(out, submitterOf(event));
  }

  /** Reads what {@link #write} wrote. */
  static LedgerEvent read(DataInputStream in) throws IOException {
    LedgerEvent event = RawEvent.EVENT_SERDE.decode(BinarySerde.readBytes(in));
    return of(event, BinarySerde.readNullable(in));
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other) && submittedBy.equals(((SubmittedEvent) other).submittedBy);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + submittedBy.hashCode();
  }
}

package dev.ledger.schemas;

import java.util.Optional;

/**
 * How large any part of an event may be (CONTRACT.md section 1), in one place. Ingest refuses an
 * over-limit event with a 400 naming the field and the limit; the streams validator sends one
 * written straight to Kafka to the DLQ with the same reason. Both read the same instance, built
 * from the ledger config ({@code limits.*} keys), so no event is accepted at one door and refused
 * at the other. Build with {@link #builder()}; {@link #DEFAULTS} holds the documented defaults.
 *
 * @param maxEventIdLength longest {@code event_id}, default 128
 * @param maxTokenIdLength longest {@code token_id} and {@code parent_token_id}, default 256
 * @param maxTenantLength longest {@code tenant}, default 128
 * @param maxTextLength longest free-text field a producer controls ({@code actor}, {@code subject},
 *     {@code issuer}, {@code resource}, {@code action}, {@code reason}, {@code source}, {@code
 *     request_id}, ...), and longest item of a list or value of an attribute map; default 1,024
 * @param maxListItems most items of {@code scopes}, {@code audience} and {@code caveats}, default
 *     256
 * @param maxAttributes most entries of one {@code attributes} map, default 64
 * @param maxAttributeKeyLength longest key of an {@code attributes} map, default 256
 * @param maxEventChars most characters of text (names and values) of one event, default 65,536, so
 *     that one event stays far below Kafka's 1 MiB record limit
 * @param maxBatchEvents most events of one {@code POST /v1/events} batch, default 10,000
 * @param maxProblems most problems one 400 answer lists (it also says how many there were), default
 *     100
 */
public record LedgerLimits(
    int maxEventIdLength,
    int maxTokenIdLength,
    int maxTenantLength,
    int maxTextLength,
    int maxListItems,
    int maxAttributes,
    int maxAttributeKeyLength,
    int maxEventChars,
    int maxBatchEvents,
    int maxProblems) {

  /** The documented defaults. */
  public static final LedgerLimits DEFAULTS = builder().build();

  public LedgerLimits {
    new SettingsCheck("limits")
        .positive("maxEventIdLength", maxEventIdLength)
        .positive("maxTokenIdLength", maxTokenIdLength)
        .positive("maxTenantLength", maxTenantLength)
        .positive("maxTextLength", maxTextLength)
        .positive("maxListItems", maxListItems)
        .positive("maxAttributes", maxAttributes)
        .positive("maxAttributeKeyLength", maxAttributeKeyLength)
        .positive("maxEventChars", maxEventChars)
        .positive("maxBatchEvents", maxBatchEvents)
        .positive("maxProblems", maxProblems)
        .throwIfAny();
  }

  /**
   * Why {@code text} is too long for a field limited to {@code max} characters, or empty when it
   * fits. The wording is the one both ingest and the streams validator report.
   */
  public static Optional<String> whyTooLong(String text, int max) {
    return text.length() <= max
        ? Optional.empty()
        : Optional.of("must be at most " + max + " characters, not " + text.length());
  }

  /**
   * Why a list or map of {@code size} {@code what} (items, entries) is too big, or empty when it
   * fits.
   */
  public static Optional<String> whyTooMany(int size, int max, String what) {
    return size <= max
        ? Optional.empty()
        : Optional.of("must have at most " + max + " " + what + ", not " + size);
  }

  /**
   * @return a builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these limits
   */
  public Builder toBuilder() {
    return new Builder()
        .maxEventIdLength(maxEventIdLength)
        .maxTokenIdLength(maxTokenIdLength)
        .maxTenantLength(maxTenantLength)
        .maxTextLength(maxTextLength)
        .maxListItems(maxListItems)
        .maxAttributes(maxAttributes)
        .maxAttributeKeyLength(maxAttributeKeyLength)
        .maxEventChars(maxEventChars)
        .maxBatchEvents(maxBatchEvents)
        .maxProblems(maxProblems);
  }

  /** Mutable builder; {@link #build()} reports every invalid value at once. */
  public static final class Builder {
    private int maxEventIdLength = 128;
    private int maxTokenIdLength = 256;
    private int maxTenantLength = 128;
    private int maxTextLength = 1024;
    private int maxListItems = 256;
    private int maxAttributes = 64;
    private int maxAttributeKeyLength = 256;
    private int maxEventChars = 65_536;
    private int maxBatchEvents = 10_000;
    private int maxProblems = 100;

    private Builder() {}

    public Builder maxEventIdLength(int value) {
      this.maxEventIdLength = value;
      return this;
    }

    public Builder maxTokenIdLength(int value) {
      this.maxTokenIdLength = value;
      return this;
    }

    public Builder maxTenantLength(int value) {
      this.maxTenantLength = value;
      return this;
    }

    public Builder maxTextLength(int value) {
      this.maxTextLength = value;
      return this;
    }

    public Builder maxListItems(int value) {
      this.maxListItems = value;
      return this;
    }

    public Builder maxAttributes(int value) {
      this.maxAttributes = value;
      return this;
    }

    public Builder maxAttributeKeyLength(int value) {
      this.maxAttributeKeyLength = value;
      return this;
    }

    public Builder maxEventChars(int value) {
      this.maxEventChars = value;
      return this;
    }

    public Builder maxBatchEvents(int value) {
      this.maxBatchEvents = value;
      return this;
    }

    public Builder maxProblems(int value) {
      this.maxProblems = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every value that is not positive
     */
    public LedgerLimits build() {
      return new LedgerLimits(
          maxEventIdLength,
          maxTokenIdLength,
          maxTenantLength,
          maxTextLength,
          maxListItems,
          maxAttributes,
          maxAttributeKeyLength,
          maxEventChars,
          maxBatchEvents,
          maxProblems);
    }
  }
}

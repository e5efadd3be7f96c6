package dev.ledger.ingest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration ingest reads and writes events with. */
public final class Json {

  /**
   * Strict on purpose: a duplicate key or trailing garbage makes an event ambiguous, and an audit
   * ledger must not guess which value the producer meant. Events are three levels deep, so a deep
   * nesting limit only protects the parser.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(32).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** A short readable reason for a parse failure, with where it happened. */
  public static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return "not valid JSON" + where + ": " + message;
  }
}

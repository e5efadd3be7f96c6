package dev.ledger.ingest.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which request Content-Types ingest reads: JSON and NDJSON/JSON Lines, in UTF-8. */
public final class MediaTypes {

  /** The media types accepted, in the order they are named in messages. */
  public static final Set<String> ACCEPTED =
      Set.of("application/json", "application/x-ndjson", "application/jsonl");

  private static final String NAMES = "application/json, application/x-ndjson or application/jsonl";

  private MediaTypes() {}

  /**
   * Why this Content-Type header value is refused, or empty when it is accepted.
   *
   * @param contentType the header value, may be null; parameters such as {@code charset} are
   *     allowed
   */
  public static Optional<String> refusal(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Optional.of("a Content-Type is required: " + NAMES);
    }
    String[] parts = contentType.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!ACCEPTED.contains(type)) {
      return Optional.of("Content-Type " + type + " is not supported: send " + NAMES);
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2) {
        String charset = param[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          return Optional.of("charset " + charset + " is not supported: JSON is read as UTF-8");
        }
      }
    }
    return Optional.empty();
  }
}

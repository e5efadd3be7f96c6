package dev.ledger.schemas;

import java.util.Locale;
import java.util.Optional;

/**
 * The rule every id of an event ({@code event_id}, and {@code token_id} and {@code parent_token_id}
 * in any body) follows besides its length, which differs per field (CONTRACT.md section 1). Ingest
 * and the streams validator both ask here, so that no id is accepted at one door and refused at the
 * other.
 */
public final class LedgerIds {

  private LedgerIds() {}

  /**
   * Why {@code id} cannot be an id, or empty when it can.
   *
   * <p>A control character ({@link Character#isISOControl}: U+0000-U+001F, U+007F-U+009F) is
   * refused because the streams state stores join key parts with U+0000, so an id holding one could
   * collide with another's key; no real id needs one. The reason names the character by its code
   * point, never the raw character, since it ends up in JSON answers and DLQ headers.
   *
   * @param id the id as received, never null
   */
  public static Optional<String> whyRefused(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of(
            String.format(
                Locale.ROOT,
                "must not contain control characters (U+0000-U+001F, U+007F-U+009F), found U+%04X at index %d",
                (int) c,
                i));
      }
    }
    return Optional.empty();
  }
}

package dev.ledger.index.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.util.BytesRef;

/**
 * A position in a newest-first list: the sort values (time, unique id) of the last item returned,
 * tagged with the list it belongs to. Because the tiebreak id is unique, the position stays exact
 * while documents are added: a page never skips or repeats an item that existed when paging began.
 *
 * <p>Wire form: base64url (no padding) of {@code v1\n<list>\n<time>\n<id>}.
 *
 * @param list which list the cursor belongs to (e.g. {@code audit}), never null
 * @param time the last item's time in epoch millis
 * @param id the last item's unique document id, never null
 */
public record Cursor(String list, long time, String id) {

  private static final String VERSION = "v1";

  /** The cursor after {@code hit}, a hit of a search sorted by {@link Sorts#NEWEST_FIRST}. */
  public static Cursor after(String list, FieldDoc hit) {
    return new Cursor(list, (Long) hit.fields[0], ((BytesRef) hit.fields[1]).utf8ToString());
  }

  /** The opaque string form. */
  public String encode() {
    String plain = VERSION + "\n" + list + "\n" + time + "\n" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a cursor of {@code expectedList}.
   *
   * @throws IllegalArgumentException if it is not a cursor, or one of another list
   */
  public static Cursor decode(String encoded, String expectedList) {
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this API");
    }
    String[] parts = plain.split("\n", 4);
    if (parts.length != 4 || !VERSION.equals(parts[0])) {
      throw new IllegalArgumentException("not a cursor of this API");
    }
    if (!parts[1].equals(expectedList)) {
      throw new IllegalArgumentException(
          "a cursor of another list (" + parts[1] + "), not of " + expectedList);
    }
    try {
      return new Cursor(parts[1], Long.parseLong(parts[2]), parts[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor of this API");
    }
  }

  /**
   * The searchAfter position. The doc id is the largest possible, so the hit with exactly these
   * sort values (the last one returned) is not returned again.
   */
  public FieldDoc toFieldDoc() {
    return new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {time, new BytesRef(id)});
  }
}

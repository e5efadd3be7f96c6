package dev.ledger.ingest.adapter.internal;

import dev.ledger.schemas.LedgerLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a block's datalog into the {@code caveats} one event may carry under the contract's default
 * limits ({@link LedgerLimits#DEFAULTS}: items, characters per item, characters per event), so any
 * datalog reports. Caveats only record what the block said; the rights the ledger checks come from
 * scopes and audience, so cutting the record here never changes a verdict.
 */
public final class CaveatBudget {

  /**
   * What a block's statements may take of an event, leaving the rest of its 65,536 characters to
   * ids, scopes and audience.
   */
  static final int MAX_CHARS = LedgerLimits.DEFAULTS.maxEventChars() / 2;

  private static final String ELLIPSIS = "…";

  private CaveatBudget() {}

  /**
   * The statements as caveats.
   *
   * @param caveats what to report (null when the block is empty)
   * @param cut whether statements were shortened or left out
   */
  public record Fitted(List<String> caveats, boolean cut) {}

  /**
   * Fits {@code statements}: each cut to the text limit, then as many as fit, then a last item
   * saying how many were left out.
   */
  public static Fitted fit(List<String> statements) {
    if (statements.isEmpty()) {
      return new Fitted(null, false);
    }
    int maxText = LedgerLimits.DEFAULTS.maxTextLength();
    int maxItems = LedgerLimits.DEFAULTS.maxListItems();
    List<String> caveats = new ArrayList<>();
    boolean cut = false;
    int chars = 0;
    for (int i = 0; i < statements.size(); i++) {
      String statement = statements.get(i);
      if (statement.length() > maxText) {
        statement = statement.substring(0, maxText - ELLIPSIS.length()) + ELLIPSIS;
        cut = true;
      }
      // Keep one item and some characters free for the note that says what was left out.
      if (caveats.size() == maxItems - 1 || chars + statement.length() > MAX_CHARS - 64) {
        caveats.add(ELLIPSIS + " " + (statements.size() - i) + " more statements not recorded");
        return new Fitted(List.copyOf(caveats), true);
      }
      caveats.add(statement);
      chars += statement.length();
    }
    return new Fitted(List.copyOf(caveats), cut);
  }
}

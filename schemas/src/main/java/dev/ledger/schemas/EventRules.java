package dev.ledger.schemas;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The contract's rules on an event's fields besides their sizes (CONTRACT.md section 1): which
 * token fields each type requires, that a root has no parent and a token is not its own parent,
 * that a root names an audience, that {@code max_uses} is positive, that no text is empty, and the
 * outcomes of a use. Ingest's validator (JSON at {@code POST /v1/events}) and the stream
 * processor's (records written straight to {@code ledger.events}) both ask here, so that no event
 * is accepted at one door and refused at the other. Sizes are {@link LedgerLimits}, ids {@link
 * LedgerIds}, the tenant {@link LedgerKey}; the reasons are worded once, here.
 */
public final class EventRules {

  /** The values of a use's {@code outcome}. */
  public static final List<String> OUTCOMES = List.of("allowed", "denied");

  /** The fields of a token body that some types require, by their wire name. */
  public enum TokenField {
    PARENT_TOKEN_ID("parent_token_id", EventType.EXCHANGED, EventType.ATTENUATED),
    ISSUER("issuer", EventType.ISSUED, EventType.EXCHANGED),
    SUBJECT("subject", EventType.ISSUED),
    ACTOR("actor", EventType.ISSUED, EventType.EXCHANGED),
    AUDIENCE("audience", EventType.ISSUED, EventType.EXCHANGED),
    SCOPES("scopes", EventType.ISSUED, EventType.EXCHANGED);

    private final String wireName;
    private final Set<EventType> requiredBy;

    TokenField(String wireName, EventType first, EventType... more) {
      this.wireName = wireName;
      this.requiredBy = EnumSet.of(first, more);
    }

    /** The field's name in JSON and in the Avro {@code TokenBody}, e.g. {@code parent_token_id}. */
    public String wireName() {
      return wireName;
    }

    /**
     * True when an event of {@code type} must carry this field; an attenuation leaves out what it
     * inherits.
     */
    public boolean isRequiredBy(EventType type) {
      return requiredBy.contains(type);
    }
  }

  private EventRules() {}

  /** True for the types whose token has a parent; a {@code token.issued} is a root and has none. */
  public static boolean hasParent(EventType type) {
    return TokenField.PARENT_TOKEN_ID.isRequiredBy(type);
  }

  /** The reason a root's {@code parent_token_id} is refused. */
  public static String whyRootParentRefused() {
    return "does not belong to a token.issued event: a root token has no parent";
  }

  /** Why {@code parentTokenId} cannot be the parent of {@code tokenId}, or empty when it can. */
  public static Optional<String> whyParentRefused(String tokenId, String parentTokenId) {
    return parentTokenId != null && parentTokenId.equals(tokenId)
        ? Optional.of("must differ from token_id: a token cannot be its own parent")
        : Optional.empty();
  }

  /**
   * Why an {@code audience} of {@code size} items is refused on an event of {@code type}, or empty
   * when it is not: a root must name at least one audience (a child's is narrowed from it).
   */
  public static Optional<String> whyAudienceRefused(EventType type, int size) {
    return type == EventType.ISSUED && size == 0
        ? Optional.of("must name at least one audience")
        : Optional.empty();
  }

  /**
   * Why {@code maxUses} cannot be a {@code max_uses}, or empty when it can: a budget allows at
   * least one use.
   */
  public static Optional<String> whyMaxUsesRefused(long maxUses) {
    return maxUses > 0 ? Optional.empty() : Optional.of("must be greater than 0, not " + maxUses);
  }

  /**
   * Why {@code text} cannot be the value of a text field, an item of a list or a value of an
   * attribute map, or empty when it can: an optional field is left out, never sent as {@code ""}.
   */
  public static Optional<String> whyEmpty(String text) {
    return text.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
  }
}

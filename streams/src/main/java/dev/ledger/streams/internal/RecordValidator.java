package dev.ledger.streams.internal;

import dev.ledger.schemas.EventRules;
import dev.ledger.schemas.EventRules.TokenField;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerIds;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a record read from {@code ledger.events} (a decoded event) against CONTRACT.md section 1
 * and the topic's keying rule, returning every problem at once, sizes included ({@link
 * EventSizes}). The rules are the ones ingest's validator applies to {@code POST /v1/events}, read
 * from schemas ({@link EventRules}, {@link LedgerLimits}, {@link LedgerIds}, {@link LedgerKey}), so
 * no event is accepted at one door and refused at the other. An event with problems goes to the
 * DLQ; one without is safe for the processors, which never re-check what is checked here.
 */
public final class RecordValidator {

  /** The event types of CONTRACT.md section 1, as constants for this module's switches. */
  public static final String ISSUED = EventType.Names.ISSUED;

  public static final String EXCHANGED = EventType.Names.EXCHANGED;
  public static final String ATTENUATED = EventType.Names.ATTENUATED;
  public static final String USED = EventType.Names.USED;
  public static final String REVOKED = EventType.Names.REVOKED;

  private static final int SHOWN_KEY_CHARS = 400;

  private RecordValidator() {}

  /** True for the three types that define a token. */
  public static boolean definesToken(String type) {
    return ISSUED.equals(type) || EXCHANGED.equals(type) || ATTENUATED.equals(type);
  }

  /** The token an event is about, or null if its body is missing. */
  public static String tokenId(LedgerEvent event) {
    if (event.getToken() != null && definesToken(event.getType())) {
      return event.getToken().getTokenId();
    }
    if (event.getUse() != null && USED.equals(event.getType())) {
      return event.getUse().getTokenId();
    }
    if (event.getRevocation() != null && REVOKED.equals(event.getType())) {
      return event.getRevocation().getTokenId();
    }
    return null;
  }

  /** As {@link #validate(String, LedgerEvent, LedgerLimits)} with {@link LedgerLimits#DEFAULTS}. */
  public static List<RecordProblem> validate(String key, LedgerEvent event) {
    return validate(key, event, LedgerLimits.DEFAULTS);
  }

  /**
   * Every problem of {@code event} received under {@code key}; empty when it is valid.
   *
   * @param key the record key as received, may be null
   * @param event the decoded value, never null
   * @param limits how large any part of the event may be (beyond: {@code too_large})
   */
  public static List<RecordProblem> validate(String key, LedgerEvent event, LedgerLimits limits) {
    List<RecordProblem> problems = new ArrayList<>();
    String eventId = event.getEventId();
    if (!empty(eventId)) {
      // An empty one is EventSizes' to report, as any empty text.
      refuseInvalidId(problems, eventId, "event_id");
    }
    String tenant = event.getTenant();
    if (tenant == null || !LedgerKey.hasTenantCharacters(tenant)) {
      problems.add(
          new RecordProblem(
              "invalid_field",
              "tenant",
              "must be " + LedgerKey.tenantRule(limits.maxTenantLength())));
    }
    EventSizes.check(event, limits, problems);
    String type = event.getType();
    boolean token = event.getToken() != null;
    boolean use = event.getUse() != null;
    boolean revocation = event.getRevocation() != null;
    if (definesToken(type)) {
      requireBodies(problems, "token", token, use, revocation);
      if (token) {
        checkToken(problems, type, event.getToken());
      }
    } else if (USED.equals(type)) {
      requireBodies(problems, "use", use, token, revocation);
      if (use) {
        requireId(problems, event.getUse().getTokenId(), "use.token_id");
      }
    } else if (REVOKED.equals(type)) {
      requireBodies(problems, "revocation", revocation, token, use);
      if (revocation) {
        requireId(problems, event.getRevocation().getTokenId(), "revocation.token_id");
      }
    } else {
      problems.add(new RecordProblem("unknown_type", "type", "unknown event type '" + type + "'"));
    }
    String tokenId = tokenId(event);
    if (problems.isEmpty() && !expectedKey(tenant, tokenId).equals(key)) {
      problems.add(
          new RecordProblem(
              "key_mismatch",
              null,
              "record key '"
                  + shown(key)
                  + "' is not tenant/token_id '"
                  + expectedKey(tenant, tokenId)
                  + "'"));
    }
    return List.copyOf(problems);
  }

  /** A key as the DLQ message header shows it: a producer's key can be as long as a record. */
  private static String shown(String key) {
    return key == null || key.length() <= SHOWN_KEY_CHARS
        ? key
        : key.substring(0, SHOWN_KEY_CHARS) + "...";
  }

  private static String expectedKey(String tenant, String tokenId) {
    return LedgerKey.of(tenant, tokenId).toString();
  }

  private static void requireBodies(
      List<RecordProblem> problems, String name, boolean present, boolean other1, boolean other2) {
    if (!present) {
      problems.add(new RecordProblem("missing_body", name, "is required for this type"));
    }
    if (other1 || other2) {
      problems.add(
          new RecordProblem(
              "unexpected_body", null, "only the '" + name + "' body may be set for this type"));
    }
  }

  private static void checkToken(List<RecordProblem> problems, String type, TokenBody body) {
    EventType eventType = EventType.fromWireName(type).orElseThrow();
    requireId(problems, body.getTokenId(), "token.token_id");
    if (EventRules.hasParent(eventType)) {
      requireId(problems, body.getParentTokenId(), "token.parent_token_id");
      if (!empty(body.getParentTokenId())) {
        EventRules.whyParentRefused(body.getTokenId(), body.getParentTokenId())
            .ifPresent(
                reason ->
                    problems.add(
                        new RecordProblem("invalid_field", "token.parent_token_id", reason)));
      }
    } else if (body.getParentTokenId() != null) {
      problems.add(
          new RecordProblem(
              "unexpected_field", "token.parent_token_id", EventRules.whyRootParentRefused()));
    }
    for (TokenField field : TokenField.values()) {
      // The Avro fields carry the contract's names; an empty text is EventSizes' to report.
      if (field != TokenField.PARENT_TOKEN_ID
          && field.isRequiredBy(eventType)
          && body.get(field.wireName()) == null) {
        problems.add(
            new RecordProblem(
                "missing_field", "token." + field.wireName(), "is required for " + type));
      }
    }
    if (body.getAudience() != null) {
      EventRules.whyAudienceRefused(eventType, body.getAudience().size())
          .ifPresent(
              reason -> problems.add(new RecordProblem("invalid_field", "token.audience", reason)));
    }
    if (body.getMaxUses() != null) {
      EventRules.whyMaxUsesRefused(body.getMaxUses())
          .ifPresent(
              reason -> problems.add(new RecordProblem("invalid_field", "token.max_uses", reason)));
    }
  }

  private static void requireField(List<RecordProblem> problems, String value, String field) {
    if (empty(value)) {
      problems.add(new RecordProblem("missing_field", field, "is required"));
    }
  }

  private static void requireId(List<RecordProblem> problems, String id, String field) {
    requireField(problems, id, field);
    if (!empty(id)) {
      refuseInvalidId(problems, id, field);
    }
  }

  private static void refuseInvalidId(List<RecordProblem> problems, String id, String field) {
    LedgerIds.whyRefused(id)
        .ifPresent(reason -> problems.add(new RecordProblem("invalid_field", field, reason)));
  }

  private static boolean empty(String value) {
    return value == null || value.isEmpty();
  }
}

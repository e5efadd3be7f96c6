package dev.ledger.streams.internal;

import dev.ledger.schemas.EventRules;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.RevocationBody;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.UseBody;
import java.util.List;
import java.util.Map;

/**
 * The size rules of {@link LedgerLimits} for an event read from Kafka: every producer string, list
 * and map, and the text of the whole event. Ingest refuses the same event with a 400; one written
 * straight to {@code ledger.events} goes to the DLQ with {@value #TOO_LARGE}, so that nothing a
 * producer sends can grow a record the ledger writes past Kafka's limit. The lower bound too: a
 * producer text, list item or attribute key or value is never empty ({@link EventRules#whyEmpty},
 * {@value #INVALID}; the tenant, the type and the token ids have rules of their own). A list or map
 * is reported once (its first offending item), never once per item.
 */
final class EventSizes {

  /** Problem code of a field, list, map or event beyond its limit. */
  static final String TOO_LARGE = "too_large";

  /** Problem code of an empty text. */
  static final String INVALID = "invalid_field";

  private final LedgerLimits limits;
  private final List<RecordProblem> problems;
  private long chars;

  private EventSizes(LedgerLimits limits, List<RecordProblem> problems) {
    this.limits = limits;
    this.problems = problems;
  }

  /**
   * Adds a {@value #TOO_LARGE} problem to {@code problems} for every part of {@code event} beyond
   * {@code limits}, and an {@value #INVALID} one for every empty producer text.
   */
  static void check(LedgerEvent event, LedgerLimits limits, List<RecordProblem> problems) {
    EventSizes sizes = new EventSizes(limits, problems);
    sizes.text("event_id", event.getEventId(), limits.maxEventIdLength());
    sizes.size("tenant", event.getTenant(), limits.maxTenantLength());
    sizes.size("type", event.getType(), limits.maxTextLength());
    sizes.text("source", event.getSource(), limits.maxTextLength());
    if (event.getToken() != null) {
      sizes.token(event.getToken());
    }
    if (event.getUse() != null) {
      sizes.use(event.getUse());
    }
    if (event.getRevocation() != null) {
      sizes.revocation(event.getRevocation());
    }
    if (sizes.chars > limits.maxEventChars()) {
      problems.add(
          new RecordProblem(
              TOO_LARGE,
              null,
              "the event holds "
                  + sizes.chars
                  + " characters of text, at most "
                  + limits.maxEventChars()));
    }
  }

  private void token(TokenBody body) {
    size("token.token_id", body.getTokenId(), limits.maxTokenIdLength());
    size("token.parent_token_id", body.getParentTokenId(), limits.maxTokenIdLength());
    text("token.issuer", body.getIssuer(), limits.maxTextLength());
    text("token.subject", body.getSubject(), limits.maxTextLength());
    text("token.actor", body.getActor(), limits.maxTextLength());
    text("token.grant", body.getGrant(), limits.maxTextLength());
    text("token.txn", body.getTxn(), limits.maxTextLength());
    text("token.acti", body.getActi(), limits.maxTextLength());
    list("token.audience", body.getAudience());
    list("token.scopes", body.getScopes());
    list("token.caveats", body.getCaveats());
    attributes("token.attributes", body.getAttributes());
  }

  private void use(UseBody body) {
    size("use.token_id", body.getTokenId(), limits.maxTokenIdLength());
    text("use.resource", body.getResource(), limits.maxTextLength());
    text("use.action", body.getAction(), limits.maxTextLength());
    text("use.actor", body.getActor(), limits.maxTextLength());
    text("use.reason", body.getReason(), limits.maxTextLength());
    text("use.request_id", body.getRequestId(), limits.maxTextLength());
    attributes("use.attributes", body.getAttributes());
  }

  private void revocation(RevocationBody body) {
    size("revocation.token_id", body.getTokenId(), limits.maxTokenIdLength());
    text("revocation.reason", body.getReason(), limits.maxTextLength());
    text("revocation.revoked_by", body.getRevokedBy(), limits.maxTextLength());
  }

  /** A producer text: 1..{@code max} characters. */
  private void text(String field, String value, int max) {
    if (value != null && value.isEmpty()) {
      problems.add(new RecordProblem(INVALID, field, EventRules.whyEmpty(value).orElseThrow()));
    }
    size(field, value, max);
  }

  /** A value whose emptiness another rule judges (an id, the tenant, the type): its size only. */
  private void size(String field, String value, int max) {
    if (value == null) {
      return;
    }
    chars += value.length();
    LedgerLimits.whyTooLong(value, max)
        .ifPresent(why -> problems.add(new RecordProblem(TOO_LARGE, field, why)));
  }

  private void list(String field, List<String> items) {
    if (items == null) {
      return;
    }
    tooMany(field, items.size(), limits.maxListItems(), "items");
    for (int i = 0; i < items.size(); i++) {
      chars += items.get(i).length();
    }
    firstEmpty(field, items);
    firstTooLong(field, items, limits.maxTextLength());
  }

  private void attributes(String field, Map<String, String> map) {
    tooMany(field, map.size(), limits.maxAttributes(), "entries");
    for (Map.Entry<String, String> entry : map.entrySet()) {
      chars += entry.getKey().length() + entry.getValue().length();
    }
    firstEmpty(field + " key", List.copyOf(map.keySet()));
    firstEmpty(field + " value", List.copyOf(map.values()));
    firstTooLong(field + " key", List.copyOf(map.keySet()), limits.maxAttributeKeyLength());
    firstTooLong(field + " value", List.copyOf(map.values()), limits.maxTextLength());
  }

  private void tooMany(String field, int size, int max, String what) {
    LedgerLimits.whyTooMany(size, max, what)
        .ifPresent(why -> problems.add(new RecordProblem(TOO_LARGE, field, why)));
  }

  private void firstEmpty(String field, List<String> items) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).isEmpty()) {
        problems.add(
            new RecordProblem(
                INVALID,
                field,
                "item " + i + " " + EventRules.whyEmpty(items.get(i)).orElseThrow()));
        return;
      }
    }
  }

  private void firstTooLong(String field, List<String> items, int max) {
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      if (item.length() > max) {
        problems.add(
            new RecordProblem(
                TOO_LARGE,
                field,
                "item " + i + " " + LedgerLimits.whyTooLong(item, max).orElseThrow()));
        return;
      }
    }
  }
}

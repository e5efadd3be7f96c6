package dev.ledger.api.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.index.Transition;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders the ledger's Avro records as the JSON of CONTRACT.md section 4: snake_case names, RFC
 * 3339 UTC timestamps ({@code 2026-11-20T09:30:00Z}), absent values written as {@code null}, lists
 * as arrays, enums by their lowercase names. The one place that decides how a record looks on the
 * wire, shared by every route and the SSE stream.
 *
 * <p>Stateless and thread-safe. Arguments must not be null.
 */
public final class ContractJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private ContractJson() {}

  /**
   * @return the mapper the API writes JSON with (plain Jackson, no timestamps as numbers: we render
   *     them here)
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A resolved token, exactly the fields of {@code GET /v1/tokens/{id}}. */
  public static ObjectNode token(TokenNode t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("token_id", t.getTokenId());
    o.put("tenant", t.getTenant());
    o.put("parent_id", t.getParentId());
    o.put("root_id", t.getRootId());
    o.put("depth", t.getDepth());
    o.put("principal", t.getPrincipal());
    o.put("actor", t.getActor());
    o.set("chain", chain(t.getChain()));
    o.set("scopes", strings(t.getScopes()));
    o.set("audience", strings(t.getAudience()));
    o.put("expires_at", time(t.getExpiresAt()));
    o.put("max_uses", t.getMaxUses());
    o.put("uses", t.getUses());
    o.put("status", name(t.getStatus()));
    o.put("revoked_at", time(t.getRevokedAt()));
    o.put("revocation_cause", t.getRevocationCause());
    o.set("violations", names(t.getViolations()));
    return o;
  }

  /**
   * An item of {@code GET /v1/authority}: a token in force at the time asked, with its chain,
   * effective rights, uses by then and the time from which it was in force (its issue time).
   */
  public static ObjectNode authority(TokenNode t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("token_id", t.getTokenId());
    o.put("tenant", t.getTenant());
    o.put("principal", t.getPrincipal());
    o.put("actor", t.getActor());
    o.set("chain", chain(t.getChain()));
    o.set("scopes", strings(t.getScopes()));
    o.set("audience", strings(t.getAudience()));
    o.put("expires_at", time(t.getExpiresAt()));
    o.put("max_uses", t.getMaxUses());
    o.put("uses", t.getUses());
    o.put("in_force_from", time(t.getIssuedAt()));
    return o;
  }

  /** An entry of {@code GET /v1/tokens/{id}/history}. */
  public static ObjectNode transition(Transition t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("transition", t.kind().name());
    o.put("occurred_at", time(t.occurredAt()));
    o.put("recorded_at", time(t.recordedAt()));
    o.put("token_id", t.tokenId());
    AuditRecord r = t.record();
    o.put("event_id", r == null ? null : r.getEventId());
    if (t.violation() != null) {
      o.put("violation", t.violation().name());
    }
    if (r != null && t.kind() == Transition.Kind.used) {
      o.put("actor", r.getActor());
      o.put("resource", r.getResource());
      o.put("action", r.getAction());
      o.put("outcome", name(r.getOutcome()));
    }
    if (r != null && t.kind() == Transition.Kind.revoked) {
      o.put("reason", r.getReason());
    }
    return o;
  }

  /**
   * An audit record: CONTRACT.md's fields, then what the record adds (ids, reason, request id,
   * attributes), then its amendments folded in by the index: {@code violations} is the verdict now,
   * {@code recorded_violations} the verdict as first recorded (the same when never amended; null
   * when the original is no longer indexed), {@code amended_at} when it last changed (null: never),
   * and {@code amendment} what changed and why (null: never).
   */
  public static ObjectNode audit(AuditRecord a) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("event_id", a.getEventId());
    o.put("type", a.getType());
    o.put("occurred_at", time(a.getOccurredAt()));
    o.put("tenant", a.getTenant());
    o.put("token_id", a.getTokenId());
    o.put("principal", a.getPrincipal());
    o.put("actor", a.getActor());
    o.set("chain", chain(a.getChain()));
    o.put("resource", a.getResource());
    o.put("action", a.getAction());
    o.put("outcome", name(a.getOutcome()));
    o.set("violations", names(a.getViolations()));
    o.put("root_id", a.getRootId());
    o.put("parent_id", a.getParentId());
    o.put("source", a.getSource());
    o.put("reason", a.getReason());
    o.put("request_id", a.getRequestId());
    o.set("attributes", map(a.getAttributes()));
    o.put("recorded_at", time(a.getRecordedAt()));
    AuditAmendment amends = a.getAmends();
    List<ViolationKind> recorded =
        amends == null ? a.getViolations() : amends.getRecordedViolations();
    o.set("recorded_violations", recorded == null ? o.nullNode() : names(recorded));
    o.put("amended_at", time(amends == null ? null : amends.getAmendedAt()));
    if (amends == null) {
      o.putNull("amendment");
    } else {
      ObjectNode amendment = o.putObject("amendment");
      amendment.set("added", names(amends.getAdded()));
      amendment.set("removed", names(amends.getRemoved()));
      amendment.put("cause_event_id", amends.getCauseEventId());
      amendment.put("cause_token_id", amends.getCauseTokenId());
    }
    o.put("submitted_by", a.getSubmittedBy());
    o.put("txn", a.getTxn());
    o.put("acti", a.getActi());
    return o;
  }

  /** One violation. */
  public static ObjectNode alert(Alert a) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("alert_id", a.getAlertId());
    o.put("kind", name(a.getKind()));
    o.put("tenant", a.getTenant());
    o.put("token_id", a.getTokenId());
    o.put("event_id", a.getEventId());
    o.put("occurred_at", time(a.getOccurredAt()));
    o.put("principal", a.getPrincipal());
    o.put("actor", a.getActor());
    o.set("chain", chain(a.getChain()));
    o.put("message", a.getMessage());
    o.put("detected_at", time(a.getDetectedAt()));
    return o;
  }

  /** A revocation notice. */
  public static ObjectNode revocation(RevocationNotice r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("tenant", r.getTenant());
    o.put("token_id", r.getTokenId());
    o.put("root_id", r.getRootId());
    o.put("revoked_at", time(r.getRevokedAt()));
    o.put("revocation_cause", r.getRevocationCause());
    o.put("reason", r.getReason());
    o.put("revoked_by", r.getRevokedBy());
    o.put("expires_at", time(r.getExpiresAt()));
    o.put("principal", r.getPrincipal());
    o.put("depth", r.getDepth());
    o.put("event_id", r.getEventId());
    o.put("notified_at", time(r.getNotifiedAt()));
    return o;
  }

  /**
   * The end of a revocation whose token has expired (a tombstone on {@code ledger.revocations}).
   */
  public static ObjectNode tombstone(String tenant, String tokenId) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("tenant", tenant);
    o.put("token_id", tokenId);
    return o;
  }

  /**
   * @return RFC 3339 in UTC with {@code Z}, second precision unless the instant has a fraction;
   *     null for null
   */
  public static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static ArrayNode chain(Collection<Hop> hops) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Hop hop : hops) {
      ObjectNode o = array.addObject();
      o.put("token_id", hop.getTokenId());
      o.put("actor", hop.getActor());
      o.put("via", name(hop.getVia()));
    }
    return array;
  }

  private static ArrayNode strings(Collection<? extends CharSequence> values) {
    ArrayNode array = MAPPER.createArrayNode();
    if (values != null) {
      values.forEach(v -> array.add(v.toString()));
    }
    return array;
  }

  private static ArrayNode names(Collection<? extends Enum<?>> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(v -> array.add(v.name()));
    return array;
  }

  private static ObjectNode map(Map<? extends CharSequence, ? extends CharSequence> values) {
    ObjectNode o = MAPPER.createObjectNode();
    if (values != null) {
      values.forEach((k, v) -> o.put(k.toString(), v == null ? null : v.toString()));
    }
    return o;
  }

  private static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }
}

package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationBody;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.UseBody;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the output records (audit, amendment, alert, revocation notice) from events and token
 * nodes.
 */
public final class LedgerRecords {

  private LedgerRecords() {}

  /**
   * The audit record of {@code event}.
   *
   * @param node the token it acted on with its chain; null when the token is unknown or its root
   *     never resolved (no principal, no chain)
   * @param violations this event's own violations
   */
  public static AuditRecord audit(
      LedgerEvent event, TokenNode node, Collection<ViolationKind> violations, long now) {
    AuditRecord.Builder b =
        AuditRecord.newBuilder()
            .setEventId(event.getEventId())
            .setType(event.getType())
            .setOccurredAt(event.getOccurredAt())
            .setTenant(event.getTenant())
            .setTokenId(RecordValidator.tokenId(event))
            .setPrincipal(node == null ? null : node.getPrincipal())
            .setActor(node == null ? null : node.getActor())
            .setChain(node == null ? List.of() : node.getChain())
            .setViolations(List.copyOf(Violations.of(violations)))
            .setRootId(node == null ? null : node.getRootId())
            .setParentId(node == null ? null : node.getParentId())
            .setSource(event.getSource())
            .setSubmittedBy(SubmittedEvent.submitterOf(event))
            .setTxn(node == null ? null : node.getTxn())
            .setActi(node == null ? null : node.getActi())
            // the event's record time, not the time of this write: reprocessing must not change it
            .setRecordedAt(RecordTime.of(event, now));
    TokenBody token = event.getToken();
    UseBody use = event.getUse();
    RevocationBody revocation = event.getRevocation();
    if (token != null) {
      b.setParentId(token.getParentTokenId()).setAttributes(Map.copyOf(token.getAttributes()));
      if (node == null) {
        b.setActor(token.getActor()).setTxn(token.getTxn()).setActi(token.getActi());
      }
    } else if (use != null) {
      b.setResource(use.getResource())
          .setAction(use.getAction())
          .setOutcome(use.getOutcome())
          .setReason(use.getReason())
          .setRequestId(use.getRequestId())
          .setAttributes(Map.copyOf(use.getAttributes()));
      if (use.getActor() != null) {
        b.setActor(use.getActor());
      }
    } else if (revocation != null) {
      Map<String, String> attributes = new HashMap<>();
      if (revocation.getRevokedBy() != null) {
        attributes.put("revoked_by", revocation.getRevokedBy());
      }
      b.setReason(revocation.getReason()).setAttributes(attributes);
    }
    return b.build();
  }

  /**
   * The amendment of the audit record of an allowed use re-judged after that record was written
   * (known by id and time only).
   *
   * @see #amendment(String, String, Instant, Outcome, TokenNode, Collection, LedgerEvent, long)
   */
  public static AuditRecord useAmendment(
      String eventId,
      Instant occurredAt,
      TokenNode node,
      Collection<ViolationKind> added,
      LedgerEvent cause,
      long now) {
    // only allowed uses are judged, so only they are re-judged
    return amendment(
        eventId, RecordValidator.USED, occurredAt, Outcome.allowed, node, added, cause, now);
  }

  /**
   * The amendment of the audit record of event {@code eventId} whose verdict changed after that
   * record was written: a record on ledger.audit with the original's event id, type and time, the
   * chain of its token now, {@code violations} = the kinds it adds, and {@code amends} saying so.
   *
   * @param node the token's node
   * @param added the kinds the event has now and did not have (not empty)
   * @param cause the event that changed the verdict (a revocation, an earlier use, a definition
   *     that completed the chain), or null if it is not known
   */
  public static AuditRecord amendment(
      String eventId,
      String type,
      Instant occurredAt,
      Outcome outcome,
      TokenNode node,
      Collection<ViolationKind> added,
      LedgerEvent cause,
      long now) {
    List<ViolationKind> kinds = List.copyOf(Violations.of(added));
    Instant at = Instant.ofEpochMilli(now);
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(occurredAt)
        .setTenant(node.getTenant())
        .setTokenId(node.getTokenId())
        .setPrincipal(node.getPrincipal())
        .setActor(node.getActor())
        .setChain(node.getChain())
        .setOutcome(outcome)
        .setViolations(kinds)
        .setRootId(node.getRootId())
        .setParentId(node.getParentId())
        .setTxn(node.getTxn())
        .setActi(node.getActi())
        .setRecordedAt(at)
        .setAmends(
            AuditAmendment.newBuilder()
                .setAdded(kinds)
                .setRemoved(List.of())
                .setCauseEventId(cause == null ? null : cause.getEventId())
                .setCauseTokenId(cause == null ? null : RecordValidator.tokenId(cause))
                .setAmendedAt(at)
                .build())
        .build();
  }

  /**
   * The deterministic alert id {@code <event_id>/<token_id>/<kind>}: replays overwrite, never add.
   */
  public static String alertId(String eventId, String tokenId, ViolationKind kind) {
    return eventId + "/" + tokenId + "/" + kind;
  }

  /**
   * One alert about {@code event}.
   *
   * @param event the event that broke the rule
   * @param tokenId the token the violation is raised on
   * @param node that token's node, or null when unknown
   */
  public static Alert alert(
      LedgerEvent event, String tokenId, ViolationKind kind, TokenNode node, long now) {
    String actor =
        event.getUse() != null && event.getUse().getActor() != null
            ? event.getUse().getActor()
            : node != null
                ? node.getActor()
                : event.getToken() != null ? event.getToken().getActor() : null;
    return alert(
        event.getEventId(),
        event.getOccurredAt(),
        event.getTenant(),
        tokenId,
        kind,
        node,
        actor,
        now);
  }

  /**
   * One alert, from its parts (a use re-judged later is known only by id and time).
   *
   * @param node the token's node, or null when unknown
   * @param actor who acted, may be null
   */
  public static Alert alert(
      String eventId,
      Instant occurredAt,
      String tenant,
      String tokenId,
      ViolationKind kind,
      TokenNode node,
      String actor,
      long now) {
    return Alert.newBuilder()
        .setAlertId(alertId(eventId, tokenId, kind))
        .setKind(kind)
        .setTenant(tenant)
        .setTokenId(tokenId)
        .setEventId(eventId)
        .setOccurredAt(occurredAt)
        .setPrincipal(node == null ? null : node.getPrincipal())
        .setActor(actor)
        .setChain(node == null ? List.of() : node.getChain())
        .setMessage(describe(kind))
        .setDetectedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /** The human message of each violation kind. */
  public static String describe(ViolationKind kind) {
    return switch (kind) {
      case escalation -> "scopes or audience are not a subset of the parent's effective rights";
      case lifetime_extension -> "expires later than its parent";
      case use_after_revocation -> "used at an event time after its revocation";
      case use_after_expiry -> "used at an event time after it expired";
      case audience_mismatch -> "used at a resource outside its effective audience";
      case usage_limit_exceeded -> "more allowed uses than max_uses of the token or an ancestor";
      case holder_mismatch -> "presented by an actor that is not its holder";
      case unknown_token -> "used but never issued within the grace period";
      case cycle -> "its parent link would make it its own ancestor; the link is refused";
      case depth_limit -> "its chain is deeper than the configured limit";
      case unknown -> "unknown violation";
    };
  }

  /**
   * The revocation notice of {@code node}, revoked through {@code revocation} (the event that
   * revoked {@code node.revocation_cause}).
   */
  public static RevocationNotice notice(TokenNode node, LedgerEvent revocation, long now) {
    return notice(
        node.getTenant(),
        node.getTokenId(),
        node.getRootId(),
        node.getPrincipal(),
        node.getDepth(),
        node.getExpiresAt(),
        node.getRevokedAt(),
        node.getRevocationCause(),
        revocation,
        now);
  }

  /**
   * The revocation notice of one token of a tree, from its parts: a cascade builds these from the
   * subtree index without reading each token's node.
   *
   * @param revocation the event that revoked {@code cause}, or null if it is not known
   */
  public static RevocationNotice notice(
      String tenant,
      String tokenId,
      String rootId,
      String principal,
      int depth,
      Instant expiresAt,
      Instant revokedAt,
      String cause,
      LedgerEvent revocation,
      long now) {
    RevocationBody body = revocation == null ? null : revocation.getRevocation();
    // One per token of a cascade: set every field on a bare record rather than through a builder,
    // which resolves each field's schema default per call.
    RevocationNotice notice = new RevocationNotice();
    notice.setTenant(tenant);
    notice.setTokenId(tokenId);
    notice.setRootId(rootId);
    notice.setRevokedAt(revokedAt);
    notice.setRevocationCause(cause);
    notice.setReason(body == null ? null : body.getReason());
    notice.setRevokedBy(body == null ? null : body.getRevokedBy());
    notice.setExpiresAt(expiresAt);
    notice.setPrincipal(principal);
    notice.setDepth(depth);
    notice.setEventId(revocation == null ? null : revocation.getEventId());
    notice.setNotifiedAt(Instant.ofEpochMilli(now));
    return notice;
  }
}

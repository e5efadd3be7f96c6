package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a token's place in its tree from its defining event and its parent's node: chain, depth,
 * principal, effective rights and transaction ids ({@code txn}, {@code acti}: own where given, else
 * the parent's), and the narrowing rules of CONTRACT.md section 2 ({@code escalation}, {@code
 * lifetime_extension}, {@code depth_limit}). Pure: no state, no time.
 */
public final class Derivation {

  /**
   * A derived token.
   *
   * @param node the token with status active, no revocation and no uses yet
   * @param violations what its definition broke (may be empty)
   */
  public record Derived(TokenNode node, Set<ViolationKind> violations) {}

  private Derivation() {}

  /**
   * Derives the node of {@code definition}.
   *
   * @param definition a validated token.issued/exchanged/attenuated event, never null
   * @param parent the parent's current node; null exactly when {@code definition} is a token.issued
   * @param depthLimit deeper tokens are flagged {@code depth_limit}
   */
  public static Derived derive(LedgerEvent definition, TokenNode parent, int depthLimit) {
    TokenBody body = definition.getToken();
    EnumSet<ViolationKind> violations = EnumSet.noneOf(ViolationKind.class);
    Via via = via(definition.getType());
    String actor = body.getActor() != null || parent == null ? body.getActor() : parent.getActor();
    List<Hop> chain = new ArrayList<>(parent == null ? List.of() : parent.getChain());
    chain.add(Hop.newBuilder().setTokenId(body.getTokenId()).setActor(actor).setVia(via).build());
    int depth = parent == null ? 0 : parent.getDepth() + 1;
    if (depth > depthLimit) {
      violations.add(ViolationKind.depth_limit);
    }
    List<String> scopes =
        body.getScopes() != null || parent == null ? orEmpty(body.getScopes()) : parent.getScopes();
    List<String> audience =
        body.getAudience() != null || parent == null
            ? orEmpty(body.getAudience())
            : parent.getAudience();
    Instant expiresAt =
        body.getExpiresAt() != null || parent == null ? body.getExpiresAt() : parent.getExpiresAt();
    Long maxUses =
        body.getMaxUses() != null || parent == null ? body.getMaxUses() : parent.getMaxUses();
    if (parent != null) {
      if (!subset(body.getScopes(), parent.getScopes())
          || !subset(body.getAudience(), parent.getAudience())) {
        violations.add(ViolationKind.escalation);
      }
      if (body.getExpiresAt() != null
          && parent.getExpiresAt() != null
          && body.getExpiresAt().isAfter(parent.getExpiresAt())) {
        violations.add(ViolationKind.lifetime_extension);
      }
    }
    TokenNode node =
        reported(definition, via)
            .setRootId(parent == null ? body.getTokenId() : parent.getRootId())
            .setDepth(depth)
            .setPrincipal(parent == null ? body.getSubject() : parent.getPrincipal())
            .setActor(actor)
            .setIssuer(
                body.getIssuer() != null || parent == null ? body.getIssuer() : parent.getIssuer())
            .setChain(chain)
            .setScopes(scopes)
            .setAudience(audience)
            .setExpiresAt(expiresAt)
            .setMaxUses(maxUses)
            .setTxn(body.getTxn() != null || parent == null ? body.getTxn() : parent.getTxn())
            .setActi(body.getActi() != null || parent == null ? body.getActi() : parent.getActi())
            .setUses(0)
            .setStatus(TokenStatus.active)
            .setViolations(List.copyOf(violations))
            .build();
    return new Derived(node, violations);
  }

  /**
   * The node of a token whose root is not known (yet): its own fields only, status pending.
   *
   * @param violations kinds already known (a refused cycle), may be empty
   */
  public static TokenNode pending(LedgerEvent definition, List<ViolationKind> violations) {
    TokenBody body = definition.getToken();
    Via via = via(definition.getType());
    return reported(definition, via)
        .setRootId(null)
        .setActor(body.getActor())
        .setIssuer(body.getIssuer())
        .setChain(
            List.of(
                Hop.newBuilder()
                    .setTokenId(body.getTokenId())
                    .setActor(body.getActor())
                    .setVia(via)
                    .build()))
        .setScopes(orEmpty(body.getScopes()))
        .setAudience(orEmpty(body.getAudience()))
        .setExpiresAt(body.getExpiresAt())
        .setMaxUses(body.getMaxUses())
        .setTxn(body.getTxn())
        .setActi(body.getActi())
        .setStatus(TokenStatus.pending)
        .setViolations(List.copyOf(violations))
        .build();
  }

  /** A node builder with what the definition itself reports, whatever the tree says. */
  private static TokenNode.Builder reported(LedgerEvent definition, Via via) {
    TokenBody body = definition.getToken();
    return TokenNode.newBuilder()
        .setTokenId(body.getTokenId())
        .setTenant(definition.getTenant())
        .setParentId(body.getParentTokenId())
        .setVia(via)
        .setGrant(body.getGrant())
        .setAttributes(Map.copyOf(body.getAttributes()))
        .setCaveats(List.copyOf(body.getCaveats()))
        .setIssuedAt(definition.getOccurredAt())
        .setRecordedAt(definition.getReceivedAt())
        .setSource(definition.getSource());
  }

  /** How a token of event type {@code type} came to be. */
  public static Via via(String type) {
    return switch (type) {
      case RecordValidator.ISSUED -> Via.issued;
      case RecordValidator.EXCHANGED -> Via.exchanged;
      case RecordValidator.ATTENUATED -> Via.attenuated;
      default -> throw new IllegalArgumentException("not a token definition: " + type);
    };
  }

  /**
   * Status by precedence revoked > expired > active at wall-clock {@code nowMillis} (pending is
   * stage 1's).
   */
  public static TokenStatus status(TokenNode node, long nowMillis) {
    if (node.getRevokedAt() != null) {
      return TokenStatus.revoked;
    }
    if (node.getExpiresAt() != null && node.getExpiresAt().toEpochMilli() < nowMillis) {
      return TokenStatus.expired;
    }
    return TokenStatus.active;
  }

  private static boolean subset(List<String> own, List<String> parents) {
    return own == null || new HashSet<>(parents).containsAll(own);
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }
}

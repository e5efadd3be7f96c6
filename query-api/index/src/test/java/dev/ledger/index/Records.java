package dev.ledger.index;

import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ledger records for tests: a chain is given as "token:actor" hops, root first. */
final class Records {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Records() {}

  static List<Hop> chain(String... hops) {
    List<Hop> out = new ArrayList<>();
    for (int i = 0; i < hops.length; i++) {
      String[] parts = hops[i].split(":", 2);
      out.add(
          Hop.newBuilder()
              .setTokenId(parts[0])
              .setActor(parts.length > 1 ? parts[1] : null)
              .setVia(i == 0 ? Via.issued : Via.exchanged)
              .build());
    }
    return out;
  }

  /** A token whose chain is {@code hops} (the last hop is the token itself). */
  static TokenNode token(String tenant, String principal, Instant issuedAt, String... hops) {
    List<Hop> chain = chain(hops);
    Hop self = chain.get(chain.size() - 1);
    return TokenNode.newBuilder()
        .setTenant(tenant)
        .setTokenId(self.getTokenId())
        .setParentId(chain.size() > 1 ? chain.get(chain.size() - 2).getTokenId() : null)
        .setRootId(chain.get(0).getTokenId())
        .setDepth(chain.size() - 1)
        .setPrincipal(principal)
        .setActor(self.getActor())
        .setChain(chain)
        .setStatus(TokenStatus.active)
        .setVia(self.getVia())
        .setIssuedAt(issuedAt)
        .build();
  }

  static AuditRecord.Builder audit(
      String tenant, String eventId, Instant at, String principal, String... hops) {
    List<Hop> chain = chain(hops);
    Hop self = chain.get(chain.size() - 1);
    return AuditRecord.newBuilder()
        .setTenant(tenant)
        .setEventId(eventId)
        .setType("token.used")
        .setOccurredAt(at)
        .setTokenId(self.getTokenId())
        .setRootId(chain.get(0).getTokenId())
        .setPrincipal(principal)
        .setActor(self.getActor())
        .setChain(chain)
        .setResource("https://bank.example")
        .setAction("GET /accounts/42")
        .setOutcome(Outcome.allowed);
  }

  static Alert alert(
      String tenant,
      String alertId,
      ViolationKind kind,
      Instant at,
      String principal,
      String... hops) {
    List<Hop> chain = chain(hops);
    Hop self = chain.get(chain.size() - 1);
    return Alert.newBuilder()
        .setTenant(tenant)
        .setAlertId(alertId)
        .setKind(kind)
        .setTokenId(self.getTokenId())
        .setOccurredAt(at)
        .setPrincipal(principal)
        .setActor(self.getActor())
        .setChain(chain)
        .setMessage(kind + " on " + self.getTokenId())
        .build();
  }

  static RevocationNotice revocation(
      String tenant, String tokenId, String cause, Instant revokedAt, Instant notifiedAt) {
    return RevocationNotice.newBuilder()
        .setTenant(tenant)
        .setTokenId(tokenId)
        .setRevocationCause(cause)
        .setRevokedAt(revokedAt)
        .setNotifiedAt(notifiedAt)
        .build();
  }
}

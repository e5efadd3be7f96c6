package dev.ledger.streams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationBody;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.UseBody;
import dev.ledger.testkit.Examples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds LedgerEvents for tests, and reads the contract's example batch. */
public final class Events {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

  private Events() {}

  /** The key an event is produced with. */
  public static String key(LedgerEvent e) {
    String token =
        e.getToken() != null
            ? e.getToken().getTokenId()
            : e.getUse() != null ? e.getUse().getTokenId() : e.getRevocation().getTokenId();
    return LedgerKey.of(e.getTenant(), token).toString();
  }

  public static LedgerEvent issued(
      String tenant,
      String eventId,
      String tokenId,
      String subject,
      String actor,
      List<String> audience,
      List<String> scopes,
      Instant expiresAt,
      Long maxUses,
      Instant at) {
    return base(tenant, eventId, "token.issued", at)
        .setToken(
            TokenBody.newBuilder()
                .setTokenId(tokenId)
                .setIssuer("https://as.example")
                .setSubject(subject)
                .setActor(actor)
                .setAudience(audience)
                .setScopes(scopes)
                .setExpiresAt(expiresAt)
                .setMaxUses(maxUses)
                .build())
        .build();
  }

  public static LedgerEvent exchanged(
      String tenant,
      String eventId,
      String tokenId,
      String parent,
      String actor,
      List<String> audience,
      List<String> scopes,
      Instant expiresAt,
      Long maxUses,
      Instant at) {
    return base(tenant, eventId, "token.exchanged", at)
        .setToken(
            TokenBody.newBuilder()
                .setTokenId(tokenId)
                .setParentTokenId(parent)
                .setIssuer("https://as.example")
                .setActor(actor)
                .setAudience(audience)
                .setScopes(scopes)
                .setExpiresAt(expiresAt)
                .setMaxUses(maxUses)
                .build())
        .build();
  }

  /** An attenuation that leaves every right to inheritance. */
  public static LedgerEvent attenuated(
      String tenant, String eventId, String tokenId, String parent, String actor, Instant at) {
    return base(tenant, eventId, "token.attenuated", at)
        .setToken(
            TokenBody.newBuilder()
                .setTokenId(tokenId)
                .setParentTokenId(parent)
                .setActor(actor)
                .build())
        .build();
  }

  public static LedgerEvent used(
      String tenant,
      String eventId,
      String tokenId,
      String resource,
      String actor,
      Outcome outcome,
      Instant at) {
    return base(tenant, eventId, "token.used", at)
        .setUse(
            UseBody.newBuilder()
                .setTokenId(tokenId)
                .setResource(resource)
                .setAction("GET /")
                .setOutcome(outcome)
                .setActor(actor)
                .build())
        .build();
  }

  public static LedgerEvent revoked(String tenant, String eventId, String tokenId, Instant at) {
    return base(tenant, eventId, "token.revoked", at)
        .setRevocation(
            RevocationBody.newBuilder()
                .setTokenId(tokenId)
                .setReason("test")
                .setRevokedBy("user:test")
                .build())
        .build();
  }

  /**
   * A chain reported top-down: the root {@code <prefix>0} issued, then {@code hops} exchanges, each
   * the child of the one before, every actor {@code actorLength} characters long.
   */
  public static List<LedgerEvent> chain(String tenant, String prefix, int hops, int actorLength) {
    List<LedgerEvent> events = new ArrayList<>();
    events.add(
        issued(
            tenant,
            "ev-" + prefix + 0,
            prefix + 0,
            "user:" + prefix,
            actor(0, actorLength),
            List.of("api"),
            List.of("read"),
            null,
            null,
            T0));
    for (int i = 1; i <= hops; i++) {
      events.add(
          exchanged(
              tenant,
              "ev-" + prefix + i,
              prefix + i,
              prefix + (i - 1),
              actor(i, actorLength),
              List.of("api"),
              List.of("read"),
              null,
              null,
              T0.plusSeconds(i)));
    }
    return events;
  }

  private static String actor(int hop, int length) {
    String name = "agent:" + hop + ":";
    return name + "x".repeat(Math.max(0, length - name.length()));
  }

  /** A copy of {@code event} in another tenant. */
  public static LedgerEvent inTenant(LedgerEvent event, String tenant) {
    return LedgerEvent.newBuilder(event).setTenant(tenant).build();
  }

  private static LedgerEvent.Builder base(String tenant, String eventId, String type, Instant at) {
    return LedgerEvent.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(at)
        .setTenant(tenant)
        .setSource("test");
  }

  /** The six events of quickstart.ndjson, in file order. */
  public static List<LedgerEvent> quickstart() {
    List<LedgerEvent> events = new ArrayList<>();
    for (String line : Examples.quickstartNdjson().split("\n")) {
      if (!line.isBlank()) {
        events.add(fromJson(line));
      }
    }
    return events;
  }

  /** token-response.json as a tree. */
  public static JsonNode tokenResponse() {
    try {
      return JSON.readTree(Examples.tokenResponseJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One contract JSON event as a LedgerEvent (what ingest does, just enough for the examples). */
  public static LedgerEvent fromJson(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      LedgerEvent.Builder b =
          LedgerEvent.newBuilder()
              .setEventId(n.get("event_id").asText())
              .setType(n.get("type").asText())
              .setOccurredAt(Instant.parse(n.get("occurred_at").asText()))
              .setTenant(text(n, "tenant") == null ? "default" : text(n, "tenant"))
              .setSource(text(n, "source"));
      if (n.has("token")) {
        JsonNode t = n.get("token");
        b.setToken(
            TokenBody.newBuilder()
                .setTokenId(text(t, "token_id"))
                .setParentTokenId(text(t, "parent_token_id"))
                .setIssuer(text(t, "issuer"))
                .setSubject(text(t, "subject"))
                .setActor(text(t, "actor"))
                .setAudience(strings(t, "audience"))
                .setScopes(strings(t, "scopes"))
                .setExpiresAt(
                    t.has("expires_at") ? Instant.parse(t.get("expires_at").asText()) : null)
                .setMaxUses(t.has("max_uses") ? t.get("max_uses").asLong() : null)
                .setGrant(text(t, "grant"))
                .setAttributes(map(t, "attributes"))
                .setCaveats(t.has("caveats") ? strings(t, "caveats") : List.of())
                .build());
      }
      if (n.has("use")) {
        JsonNode u = n.get("use");
        b.setUse(
            UseBody.newBuilder()
                .setTokenId(text(u, "token_id"))
                .setResource(text(u, "resource"))
                .setAction(text(u, "action"))
                .setOutcome(Outcome.valueOf(text(u, "outcome")))
                .setActor(text(u, "actor"))
                .setReason(text(u, "reason"))
                .setRequestId(text(u, "request_id"))
                .setAttributes(map(u, "attributes"))
                .build());
      }
      if (n.has("revocation")) {
        JsonNode r = n.get("revocation");
        b.setRevocation(
            RevocationBody.newBuilder()
                .setTokenId(text(r, "token_id"))
                .setReason(text(r, "reason"))
                .setRevokedBy(text(r, "revoked_by"))
                .build());
      }
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) && !n.get(field).isNull() ? n.get(field).asText() : null;
  }

  private static List<String> strings(JsonNode n, String field) {
    if (!n.has(field)) {
      return null;
    }
    List<String> values = new ArrayList<>();
    n.get(field).forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> map(JsonNode n, String field) {
    Map<String, String> values = new HashMap<>();
    if (n.has(field)) {
      n.get(field).properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
    }
    return values;
  }
}

package dev.ledger.api;

import static dev.ledger.api.TestApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/tokens/{id}?at=&known_at=}, {@code GET /v1/authority} and {@code GET
 * /v1/tokens/{id}/history} over HTTP, on the records Streams writes for the contract example
 * (docs/examples/quickstart.ndjson), recorded as it is posted at 09:05, except the revocation,
 * which the ledger hears of only at 09:10.
 */
class PointInTimeRoutesTest extends IndexedApiTest {
  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
  static final Instant POSTED = Instant.parse("2026-11-20T09:05:00Z");
  static final Instant REVOCATION_HEARD = Instant.parse("2026-11-20T09:10:00Z");
  static final Instant REVOKED = Instant.parse("2026-11-20T09:01:00Z");
  static final List<Hop> CHAIN =
      List.of(
          new Hop("tok-root", "agent:travel-planner", Via.issued),
          new Hop("tok-flights", "agent:flight-searcher", Via.exchanged),
          new Hop("tok-flights-lhr", "agent:fare-scraper", Via.attenuated));
  static final String FLIGHTS = "https://api.flights.example";

  @BeforeAll
  static void fill() throws Exception {
    index.putToken(node(1, 0, List.of("flights:search", "flights:book", "hotels:search"), null));
    index.putToken(node(2, 5, List.of("flights:search"), Instant.parse("2026-11-20T09:30:00Z")));
    index.putToken(node(3, 7, List.of("flights:search"), Instant.parse("2026-11-20T09:30:00Z")));
    index.putAudit(record("ev-001", "token.issued", 1, 0, POSTED).build());
    index.putAudit(record("ev-002", "token.exchanged", 2, 5, POSTED).build());
    index.putAudit(record("ev-003", "token.attenuated", 3, 7, POSTED).build());
    index.putAudit(
        record("ev-004", "token.used", 3, 9, POSTED)
            .setResource(FLIGHTS)
            .setAction("GET /fares")
            .setOutcome(Outcome.allowed)
            .build());
    index.putAudit(
        record("ev-005", "token.revoked", 2, 60, REVOCATION_HEARD)
            .setReason("agent misbehaving")
            .build());
    index.putAudit(
        record("ev-006", "token.used", 3, 120, POSTED)
            .setResource(FLIGHTS)
            .setAction("GET /fares")
            .setOutcome(Outcome.allowed)
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .build());
    // The same token id in another tenant, in force all along: never mixed up with acme's.
    index.putToken(
        TokenNode.newBuilder(node(3, 7, List.of("x"), null))
            .setTenant("globex")
            .setChain(CHAIN.subList(2, 3))
            .setStatus(TokenStatus.active)
            .setRevokedAt(null)
            .setRevocationCause(null)
            .build());
    index.awaitSearchable();
  }

  /**
   * The token of hop {@code hops} of the chain, issued at 09:00:{@code second}, revoked through
   * tok-flights.
   */
  static TokenNode node(int hops, int second, List<String> scopes, Instant expires) {
    List<Hop> chain = CHAIN.subList(0, hops);
    Hop self = chain.getLast();
    boolean revoked = hops >= 2;
    return TokenNode.newBuilder()
        .setTenant("acme")
        .setTokenId(self.getTokenId())
        .setParentId(hops > 1 ? chain.get(hops - 2).getTokenId() : null)
        .setRootId("tok-root")
        .setDepth(hops - 1)
        .setPrincipal("user:dana")
        .setActor(self.getActor())
        .setChain(chain)
        .setScopes(scopes)
        .setAudience(List.of(FLIGHTS))
        .setExpiresAt(expires)
        .setVia(self.getVia())
        .setStatus(revoked ? TokenStatus.revoked : TokenStatus.active)
        .setRevokedAt(revoked ? REVOKED : null)
        .setRevocationCause(revoked ? "tok-flights" : null)
        .setIssuedAt(T0.plusSeconds(second))
        .setRecordedAt(POSTED)
        .build();
  }

  static AuditRecord.Builder record(
      String eventId, String type, int hops, int second, Instant recorded) {
    List<Hop> chain = CHAIN.subList(0, hops);
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(T0.plusSeconds(second))
        .setTenant("acme")
        .setTokenId(chain.getLast().getTokenId())
        .setPrincipal("user:dana")
        .setActor(chain.getLast().getActor())
        .setChain(chain)
        .setRootId("tok-root")
        .setRecordedAt(recorded);
  }

  static JsonNode ok(String path) {
    var response = api.get(path, keys.admin());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestApi.json(response);
  }

  static JsonNode lhrAt(String at) {
    return ok("/v1/tokens/tok-flights-lhr?tenant=acme&at=" + at);
  }

  @Test
  void theContractExampleTokenAtThreeTimes() {
    JsonNode before = lhrAt("2026-11-20T09:00:08Z");
    assertThat(before.get("status").asText()).isEqualTo("active");
    assertThat(before.get("uses").asLong()).isZero();
    assertThat(before.get("revoked_at").isNull()).isTrue();
    JsonNode used = lhrAt("2026-11-20T09:00:10Z");
    assertThat(used.get("status").asText()).isEqualTo("active");
    assertThat(used.get("uses").asLong()).isEqualTo(1);
    JsonNode revoked = lhrAt("2026-11-20T09:01:30Z");
    assertThat(revoked.get("status").asText()).isEqualTo("revoked");
    assertThat(revoked.get("revocation_cause").asText()).isEqualTo("tok-flights");
    assertThat(revoked.get("revoked_at").asText()).isEqualTo("2026-11-20T09:01:00Z");
    assertThat(revoked.get("violations")).isEmpty();
    // The same shape as now, and now is what the answer without at says.
    JsonNode now = ok("/v1/tokens/tok-flights-lhr?tenant=acme");
    assertThat(iterator(revoked)).isEqualTo(iterator(now));
    assertThat(lhrAt("2026-11-20T09:03:00Z").get("violations").get(0).asText())
        .isEqualTo("use_after_revocation");
  }

  @Test
  void knownAtSeparatesWhatWasTrueFromWhatTheLedgerKnew() {
    String path = "/v1/tokens/tok-flights-lhr?tenant=acme&at=2026-11-20T09:01:30Z&known_at=";
    assertThat(ok(path + "2026-11-20T09:09:59Z").get("status").asText()).isEqualTo("active");
    assertThat(ok(path + "2026-11-20T09:10:00Z").get("status").asText()).isEqualTo("revoked");
  }

  @Test
  void notYetIssuedOrNeverIssuedIsA404ThatSaysWhich() {
    JsonNode early =
        assertError(
            api.get("/v1/tokens/tok-flights-lhr?tenant=acme&at=2026-11-20T09:00:06Z", keys.admin()),
            404,
            "not_found");
    assertThat(early.get("message").asText()).contains("was not issued by 2026-11-20T09:00:06Z");
    JsonNode unheard =
        assertError(
            api.get(
                "/v1/tokens/tok-flights-lhr?tenant=acme&at=2026-11-20T09:00:08Z"
                    + "&known_at=2026-11-20T09:04:00Z",
                keys.admin()),
            404,
            "not_found");
    assertThat(unheard.get("message").asText())
        .contains("as the ledger knew it at 2026-11-20T09:04:00Z");
    JsonNode never =
        assertError(
            api.get("/v1/tokens/tok-nope?tenant=acme&at=2026-11-20T09:00:08Z", keys.admin()),
            404,
            "not_found");
    assertThat(never.get("message").asText()).contains("no token 'tok-nope'");
  }

  @Test
  void aBadTimeIsA400NamingTheParameter() {
    JsonNode at =
        assertError(
            api.get("/v1/tokens/tok-flights-lhr?tenant=acme&at=yesterday", keys.admin()),
            400,
            "bad_request");
    assertThat(at.toString()).contains("at");
    JsonNode known =
        assertError(
            api.get(
                "/v1/authority?tenant=acme&actor=a&at=2026-11-20T09:00:08Z&known_at=soon",
                keys.admin()),
            400,
            "bad_request");
    assertThat(known.toString()).contains("known_at");
    JsonNode missing =
        assertError(api.get("/v1/authority?tenant=acme&actor=a", keys.admin()), 400, "bad_request");
    assertThat(missing.toString()).contains("\"at\"");
    JsonNode nobody =
        assertError(
            api.get("/v1/authority?tenant=acme&at=2026-11-20T09:00:08Z", keys.admin()),
            400,
            "bad_request");
    assertThat(nobody.toString()).contains("actor");
  }

  @Test
  void authorityOfTheScraper() {
    JsonNode at = ok("/v1/authority?tenant=acme&actor=agent:fare-scraper&at=2026-11-20T09:00:10Z");
    assertThat(at.get("items")).hasSize(1);
    JsonNode item = at.get("items").get(0);
    assertThat(item.get("token_id").asText()).isEqualTo("tok-flights-lhr");
    assertThat(item.get("principal").asText()).isEqualTo("user:dana");
    assertThat(item.get("chain").get(0).get("token_id").asText()).isEqualTo("tok-root");
    assertThat(item.get("chain").get(2).get("via").asText()).isEqualTo("attenuated");
    assertThat(item.get("scopes").get(0).asText()).isEqualTo("flights:search");
    assertThat(item.get("uses").asLong()).isEqualTo(1);
    assertThat(item.get("in_force_from").asText()).isEqualTo("2026-11-20T09:00:07Z");
    assertThat(at.get("next_cursor").isNull()).isTrue();
    assertThat(
            ok("/v1/authority?tenant=acme&actor=agent:fare-scraper&at=2026-11-20T09:01:30Z")
                .get("items"))
        .isEmpty();
    assertThat(
            ok("/v1/authority?tenant=acme&actor=agent:fare-scraper&at=2026-11-20T09:01:30Z"
                    + "&known_at=2026-11-20T09:09:00Z")
                .get("items"))
        .hasSize(1);
    // Everyone acting for Dana with flights:book at 09:00:10: only the planner's root token.
    JsonNode book =
        ok(
            "/v1/authority?tenant=acme&principal=user:dana&scope=flights:book&at=2026-11-20T09:00:10Z");
    assertThat(book.get("items")).hasSize(1);
    assertThat(book.get("items").get(0).get("actor").asText()).isEqualTo("agent:travel-planner");
    // A tenant's auditor sees only its tenant.
    var globex =
        api.get(
            "/v1/authority?actor=agent:fare-scraper&at=2026-11-20T09:01:30Z", keys.auditorGlobex());
    assertThat(TestApi.json(globex).get("items").get(0).get("tenant").asText()).isEqualTo("globex");
  }

  @Test
  void historyInEventTimeOrder() {
    JsonNode page = ok("/v1/tokens/tok-flights-lhr/history?tenant=acme");
    List<String> kinds = new ArrayList<>();
    page.get("items").forEach(t -> kinds.add(t.get("transition").asText()));
    assertThat(kinds)
        .containsExactly("attenuated", "used", "revoked", "used", "violation", "expired");
    JsonNode revoked = page.get("items").get(2);
    assertThat(revoked.get("token_id").asText()).isEqualTo("tok-flights");
    assertThat(revoked.get("occurred_at").asText()).isEqualTo("2026-11-20T09:01:00Z");
    assertThat(revoked.get("recorded_at").asText()).isEqualTo("2026-11-20T09:10:00Z");
    assertThat(revoked.get("reason").asText()).isEqualTo("agent misbehaving");
    assertThat(page.get("items").get(4).get("violation").asText())
        .isEqualTo("use_after_revocation");
    JsonNode first = ok("/v1/tokens/tok-flights-lhr/history?tenant=acme&limit=2");
    assertThat(first.get("items")).hasSize(2);
    assertThat(first.get("next_cursor").isNull()).isFalse();
    assertError(
        api.get("/v1/tokens/tok-flights-lhr/history?tenant=acme&cursor=junk", keys.admin()),
        400,
        "bad_request");
  }

  private static List<String> iterator(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package dev.ledger.api;

import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.json.ContractJson;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.testkit.Examples;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every read route and filter on a real server over a real Lucene index, filled through the index's
 * own write methods with the quickstart scenario (tenant acme) and a look-alike in tenant globex.
 */
class ReadRoutesTest extends IndexedApiTest {
  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
  static final List<Hop> ACME_CHAIN =
      List.of(
          new Hop("tok-root", "agent:travel-planner", Via.issued),
          new Hop("tok-flights", "agent:flight-searcher", Via.exchanged),
          new Hop("tok-flights-lhr", "agent:fare-scraper", Via.attenuated));

  @BeforeAll
  static void fillIndex() throws Exception {
    fill();
  }

  static void fill() throws Exception {
    index.putToken(
        token(
            "acme",
            ACME_CHAIN.subList(0, 1),
            "user:dana",
            TokenStatus.active,
            List.of(),
            List.of("flights:search", "flights:book", "hotels:search"),
            null));
    index.putToken(
        token(
            "acme",
            ACME_CHAIN.subList(0, 2),
            "user:dana",
            TokenStatus.revoked,
            List.of(),
            List.of("flights:search"),
            "tok-flights"));
    index.putToken(lhr());
    // Same token id in another tenant: must never be mixed up with acme's.
    index.putToken(
        token(
            "globex",
            List.of(new Hop("tok-root", "agent:other", Via.issued)),
            "user:eve",
            TokenStatus.active,
            List.of(),
            List.of("x"),
            null));

    index.putAudit(
        audit("acme", "ev-001", "token.issued", 0, ACME_CHAIN.subList(0, 1), null, null, null));
    index.putAudit(
        audit("acme", "ev-002", "token.exchanged", 5, ACME_CHAIN.subList(0, 2), null, null, null));
    index.putAudit(audit("acme", "ev-003", "token.attenuated", 7, ACME_CHAIN, null, null, null));
    index.putAudit(
        audit(
            "acme",
            "ev-004",
            "token.used",
            30,
            ACME_CHAIN,
            "GET /fares/LHR-JFK",
            Outcome.allowed,
            null));
    index.putAudit(
        audit("acme", "ev-005", "token.revoked", 60, ACME_CHAIN.subList(0, 2), null, null, null));
    index.putAudit(
        audit(
            "acme",
            "ev-006",
            "token.used",
            90,
            ACME_CHAIN,
            "GET /fares/LHR-CDG",
            Outcome.denied,
            ViolationKind.use_after_revocation));
    index.putAudit(
        audit(
            "globex",
            "gx-001",
            "token.issued",
            1,
            List.of(new Hop("tok-root", "agent:other", Via.issued)),
            null,
            null,
            null));

    index.putAlert(alert("acme", "ev-006", ViolationKind.use_after_revocation, 90, ACME_CHAIN));
    index.putAlert(
        alert(
            "globex",
            "gx-001",
            ViolationKind.escalation,
            1,
            List.of(new Hop("tok-root", "agent:other", Via.issued))));

    index.putRevocation("acme", "tok-flights", revocation("acme", "tok-flights", 1), 0, 0);
    index.putRevocation("acme", "tok-flights-lhr", revocation("acme", "tok-flights-lhr", 2), 0, 1);
    index.putRevocation("globex", "tok-root", revocation("globex", "tok-root", 0), 0, 2);
    index.awaitSearchable();
  }

  static TokenNode lhr() {
    return TokenNode.newBuilder(
            token(
                "acme",
                ACME_CHAIN,
                "user:dana",
                TokenStatus.revoked,
                List.of(ViolationKind.use_after_revocation),
                List.of("flights:search"),
                "tok-flights"))
        .setAudience(List.of("https://api.flights.example"))
        .setExpiresAt(Instant.parse("2026-11-20T09:30:00Z"))
        .setMaxUses(3L)
        .setUses(2)
        .setRevokedAt(Instant.parse("2026-11-20T09:01:00Z"))
        .build();
  }

  static TokenNode token(
      String tenant,
      List<Hop> chain,
      String principal,
      TokenStatus status,
      List<ViolationKind> violations,
      List<String> scopes,
      String cause) {
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
        .setScopes(scopes)
        .setStatus(status)
        .setViolations(violations)
        .setVia(self.getVia())
        .setRevocationCause(cause)
        .setRevokedAt(cause == null ? null : Instant.parse("2026-11-20T09:01:00Z"))
        .setIssuedAt(T0.plusSeconds(chain.size()))
        .build();
  }

  static AuditRecord audit(
      String tenant,
      String eventId,
      String type,
      int second,
      List<Hop> chain,
      String action,
      Outcome outcome,
      ViolationKind violation) {
    Hop self = chain.get(chain.size() - 1);
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(T0.plusSeconds(second))
        .setTenant(tenant)
        .setTokenId(self.getTokenId())
        .setPrincipal(tenant.equals("acme") ? "user:dana" : "user:eve")
        .setActor(self.getActor())
        .setChain(chain)
        .setResource(action == null ? null : "https://api.flights.example")
        .setAction(action)
        .setOutcome(outcome)
        .setViolations(violation == null ? List.of() : List.of(violation))
        .build();
  }

  static Alert alert(
      String tenant, String eventId, ViolationKind kind, int second, List<Hop> chain) {
    Hop self = chain.get(chain.size() - 1);
    return Alert.newBuilder()
        .setAlertId(eventId + "/" + kind)
        .setKind(kind)
        .setTenant(tenant)
        .setTokenId(self.getTokenId())
        .setEventId(eventId)
        .setOccurredAt(T0.plusSeconds(second))
        .setPrincipal(tenant.equals("acme") ? "user:dana" : "user:eve")
        .setActor(self.getActor())
        .setChain(chain)
        .setMessage(kind.name())
        .build();
  }

  static RevocationNotice revocation(String tenant, String tokenId, int depth) {
    return RevocationNotice.newBuilder()
        .setTenant(tenant)
        .setTokenId(tokenId)
        .setRevokedAt(
            tenant.equals("acme") ? Instant.parse("2026-11-20T09:01:00Z") : T0.plusSeconds(2))
        .setRevocationCause(tenant.equals("acme") ? "tok-flights" : tokenId)
        .setDepth(depth)
        .build();
  }

  static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  static List<String> ids(JsonNode page, String field) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get(field).asText()));
    return ids;
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void tokenIsTheContractExample() throws Exception {
    JsonNode expected = ContractJson.mapper().readTree(Examples.tokenResponseJson());
    assertThat(ok(api.get("/v1/tokens/tok-flights-lhr?tenant=acme", keys.admin())))
        .isEqualTo(expected);
    assertThat(ok(api.get("/v1/tokens/tok-flights-lhr", keys.auditorAcme()))).isEqualTo(expected);
  }

  @Test
  void tenantsNeverMix() {
    assertThat(ok(api.get("/v1/tokens/tok-root", keys.auditorAcme())).get("principal").asText())
        .isEqualTo("user:dana");
    assertThat(ok(api.get("/v1/tokens/tok-root", keys.auditorGlobex())).get("principal").asText())
        .isEqualTo("user:eve");
    assertThat(api.get("/v1/tokens/tok-flights-lhr", keys.auditorGlobex()).statusCode())
        .isEqualTo(404);
    // A * credential without ?tenant= reads the default tenant, where none of this lives.
    assertThat(api.get("/v1/tokens/tok-root", keys.admin()).statusCode()).isEqualTo(404);

    assertThat(ids(ok(api.get("/v1/audit", keys.auditorGlobex())), "event_id"))
        .containsExactly("gx-001");
    assertThat(ids(ok(api.get("/v1/audit", keys.auditorAcme())), "tenant"))
        .containsOnly("acme")
        .hasSize(6);
    assertThat(ids(ok(api.get("/v1/audit?tenant=*", keys.admin())), "tenant"))
        .contains("acme", "globex")
        .hasSize(7);
    assertThat(ids(ok(api.get("/v1/alerts", keys.auditorAcme())), "tenant")).containsOnly("acme");
    assertThat(ids(ok(api.get("/v1/revocations", keys.auditorGlobex())), "token_id"))
        .containsExactly("tok-root");
    assertThat(ids(ok(api.get("/v1/audit", keys.admin())), "event_id")).isEmpty();
  }

  @Test
  void descendantsArePagedWithoutRepeats() {
    JsonNode all = ok(api.get("/v1/tokens/tok-root/descendants?tenant=acme", keys.admin()));
    assertThat(ids(all, "token_id")).containsExactlyInAnyOrder("tok-flights", "tok-flights-lhr");
    assertThat(all.get("next_cursor").isNull()).isTrue();

    JsonNode first =
        ok(api.get("/v1/tokens/tok-root/descendants?tenant=acme&limit=1", keys.admin()));
    assertThat(first.get("items")).hasSize(1);
    String cursor = first.get("next_cursor").asText();
    JsonNode second =
        ok(
            api.get(
                "/v1/tokens/tok-root/descendants?tenant=acme&limit=1&cursor=" + enc(cursor),
                keys.admin()));
    List<String> paged = new ArrayList<>(ids(first, "token_id"));
    paged.addAll(ids(second, "token_id"));
    assertThat(paged).containsExactlyInAnyOrderElementsOf(ids(all, "token_id"));

    assertThat(
            ids(
                ok(api.get("/v1/tokens/tok-flights-lhr/descendants?tenant=acme", keys.admin())),
                "token_id"))
        .isEmpty();
  }

  @Test
  void auditIsNewestFirstAndEveryFilterNarrowsIt() {
    String base = "/v1/audit?tenant=acme";
    assertThat(ids(ok(api.get(base, keys.admin())), "event_id"))
        .containsExactly("ev-006", "ev-005", "ev-004", "ev-003", "ev-002", "ev-001");

    String[][] cases = {
      {"&principal=user:dana", "ev-006,ev-005,ev-004,ev-003,ev-002,ev-001"},
      {"&actor=agent:fare-scraper", "ev-006,ev-004,ev-003"},
      // An actor anywhere in the chain, not only the last hop.
      {"&actor=agent:flight-searcher", "ev-006,ev-005,ev-004,ev-003,ev-002"},
      {"&token=tok-flights", "ev-005,ev-002"},
      {"&resource=" + enc("https://api.flights.example"), "ev-006,ev-004"},
      {"&action=" + enc("GET /fares/LHR-JFK"), "ev-004"},
      {"&outcome=denied", "ev-006"},
      {"&type=token.used", "ev-006,ev-004"},
      {"&violation=use_after_revocation", "ev-006"},
      // from is inclusive, to exclusive: consecutive windows never count a record twice.
      {"&from=2026-11-20T09:00:07Z&to=2026-11-20T09:01:00Z", "ev-004,ev-003"},
      {"&from=2026-11-20T10:00:07%2B01:00", "ev-006,ev-005,ev-004,ev-003"},
      {"&q=" + enc("action:\"GET /fares/LHR-CDG\" OR type:token.revoked"), "ev-006,ev-005"},
      {"&type=token.used&outcome=allowed", "ev-004"},
    };
    for (String[] c : cases) {
      assertThat(String.join(",", ids(ok(api.get(base + c[0], keys.admin())), "event_id")))
          .as(c[0])
          .isEqualTo(c[1]);
    }
  }

  @Test
  void auditStreamsEveryMatchAsNdjson() {
    HttpResponse<String> byFormat =
        api.get("/v1/audit?tenant=acme&format=ndjson&limit=2", keys.admin());
    assertThat(byFormat.statusCode()).isEqualTo(200);
    assertThat(byFormat.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/x-ndjson");
    List<String> lines = byFormat.body().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines)
        .allSatisfy(line -> assertThat(parse(line).get("tenant").asText()).isEqualTo("acme"));
    assertThat(parse(lines.get(0)).get("event_id").asText()).isEqualTo("ev-006");

    HttpResponse<String> byAccept =
        api.send(
            api.request("/v1/audit?tenant=*&actor=agent:other", keys.admin())
                .header("Accept", "application/x-ndjson")
                .GET());
    assertThat(byAccept.body().lines().map(l -> parse(l).get("event_id").asText()).toList())
        .containsExactly("gx-001");

    HttpResponse<String> bad =
        api.get("/v1/audit?format=ndjson&q=" + enc("(unclosed"), keys.admin());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/details/0/parameter").asText()).isEqualTo("q");
  }

  static JsonNode parse(String line) {
    try {
      return ContractJson.mapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  @Test
  void alertsFilter() {
    String base = "/v1/alerts?tenant=*";
    assertThat(ids(ok(api.get(base, keys.admin())), "alert_id")).hasSize(2);
    assertThat(ids(ok(api.get(base + "&kind=escalation", keys.admin())), "tenant"))
        .containsExactly("globex");
    assertThat(ids(ok(api.get(base + "&token=tok-flights-lhr", keys.admin())), "kind"))
        .containsExactly("use_after_revocation");
    assertThat(ids(ok(api.get(base + "&principal=user:eve", keys.admin())), "tenant"))
        .containsExactly("globex");
    assertThat(ids(ok(api.get(base + "&actor=agent:travel-planner", keys.admin())), "tenant"))
        .containsExactly("acme");
    assertThat(ids(ok(api.get(base + "&from=2026-11-20T09:00:02Z", keys.admin())), "tenant"))
        .containsExactly("acme");
    assertThat(ids(ok(api.get(base + "&to=2026-11-20T09:00:02Z", keys.admin())), "tenant"))
        .containsExactly("globex");
    JsonNode alert =
        ok(api.get(base + "&kind=use_after_revocation", keys.admin())).get("items").get(0);
    assertThat(alert.get("chain").get(0).get("via").asText()).isEqualTo("issued");
  }

  @Test
  void revocationsSince() {
    assertThat(ids(ok(api.get("/v1/revocations?tenant=acme", keys.admin())), "token_id"))
        .containsExactlyInAnyOrder("tok-flights", "tok-flights-lhr");
    assertThat(
            ids(
                ok(api.get("/v1/revocations?tenant=*&since=2026-11-20T09:00:30Z", keys.admin())),
                "token_id"))
        .containsExactlyInAnyOrder("tok-flights", "tok-flights-lhr");
    assertThat(
            ids(
                ok(api.get("/v1/revocations?tenant=*&since=2026-11-20T09:05:00Z", keys.admin())),
                "token_id"))
        .isEmpty();
    JsonNode notice = ok(api.get("/v1/revocations?tenant=acme&limit=1", keys.admin()));
    assertThat(notice.get("items").get(0).get("revocation_cause").asText())
        .isEqualTo("tok-flights");
    assertThat(notice.get("next_cursor").isNull()).isFalse();
  }

  @Test
  void pagingWhileRecordsAreAddedHasNoGapsAndNoRepeats() throws Exception {
    String tenant = "paging";
    String key = keys.store().create(dev.ledger.api.auth.Role.auditor, tenant, null).secret();
    List<Hop> chain = List.of(new Hop("p-root", "agent:p", Via.issued));
    Set<String> original = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      index.putAudit(
          audit(tenant, "p-" + i, "token.used", 1000 + i, chain, "a", Outcome.allowed, null));
      original.add("p-" + i);
    }
    index.awaitSearchable();

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int round = 0;
    do {
      JsonNode page =
          ok(api.get("/v1/audit?limit=7" + (cursor == null ? "" : "&cursor=" + enc(cursor)), key));
      seen.addAll(ids(page, "event_id"));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      // Newer records arrive between pages (they sort before the cursor), and an older one too.
      index.putAudit(
          audit(
              tenant,
              "new-" + round,
              "token.used",
              2000 + round,
              chain,
              "a",
              Outcome.allowed,
              null));
      index.awaitSearchable();
      round++;
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.stream().filter(original::contains).toList()).hasSize(25);
    List<String> expectedOrder = new ArrayList<>();
    for (int i = 24; i >= 0; i--) {
      expectedOrder.add("p-" + i);
    }
    assertThat(seen).containsSubsequence(expectedOrder);
  }
}

package dev.ledger.api;

import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.Via;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/audit?txn=&acti=} (contract v1.7): a Transaction Token's transaction, found in
 * every service it reached, within the caller's tenant only, and documented in the OpenAPI.
 */
class TransactionAuditRouteTest extends IndexedApiTest {

  private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

  @BeforeAll
  static void fill() throws Exception {
    index.putAudit(use("acme", "u1", 1, "https://orders.example", "txn-42", "wf-7"));
    index.putAudit(use("acme", "u2", 2, "https://payments.example", "txn-42", "wf-7"));
    index.putAudit(use("acme", "u3", 3, "https://orders.example", "txn-43", "wf-7"));
    index.putAudit(use("acme", "u4", 4, "https://orders.example", null, null));
    index.putAudit(use("globex", "g1", 5, "https://orders.example", "txn-42", "wf-7"));
    index.awaitSearchable();
  }

  private static AuditRecord use(
      String tenant, String eventId, int second, String resource, String txn, String acti) {
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType("token.used")
        .setOccurredAt(T0.plusSeconds(second))
        .setTenant(tenant)
        .setTokenId("txn-sha256:ab")
        .setPrincipal("user:dana")
        .setActor("svc:gateway")
        .setChain(List.of(new Hop("txn-sha256:ab", "svc:gateway", Via.issued)))
        .setResource(resource)
        .setAction("POST /checkout")
        .setOutcome(Outcome.allowed)
        .setTxn(txn)
        .setActi(acti)
        .build();
  }

  private static List<String> ids(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(response).get("items").forEach(item -> ids.add(item.get("event_id").asText()));
    return ids;
  }

  @Test
  void txnFindsTheTransactionInEveryServiceOfTheCallersTenant() {
    assertThat(ids(api.get("/v1/audit?tenant=acme&txn=txn-42", keys.admin())))
        .containsExactly("u2", "u1");
    assertThat(ids(api.get("/v1/audit?txn=txn-42", keys.auditorAcme())))
        .containsExactly("u2", "u1");
    assertThat(ids(api.get("/v1/audit?txn=txn-42", keys.auditorGlobex()))).containsExactly("g1");
    assertThat(ids(api.get("/v1/audit?acti=wf-7", keys.auditorAcme())))
        .containsExactly("u3", "u2", "u1");
    assertThat(ids(api.get("/v1/audit?acti=wf-7&txn=txn-43", keys.auditorAcme())))
        .containsExactly("u3");
    assertThat(ids(api.get("/v1/audit?txn=txn-nope", keys.auditorAcme()))).isEmpty();

    JsonNode record = json(api.get("/v1/audit?txn=txn-43", keys.auditorAcme())).get("items").get(0);
    assertThat(record.get("txn").asText()).isEqualTo("txn-43");
    assertThat(record.get("acti").asText()).isEqualTo("wf-7");
    JsonNode plain =
        json(api.get("/v1/audit?tenant=acme&token=txn-sha256:ab&limit=4", keys.admin()))
            .get("items")
            .get(0);
    assertThat(plain.get("event_id").asText()).isEqualTo("u4");
    assertThat(plain.get("txn").isNull()).isTrue();
  }

  @Test
  void theOpenApiDescriptionNamesBothFilters() {
    JsonNode doc = json(api.get("/openapi.json", null));
    List<String> params = new ArrayList<>();
    doc.at("/paths/~1v1~1audit/get/parameters").forEach(p -> params.add(p.path("name").asText()));
    assertThat(params).contains("txn", "acti");
    assertThat(doc.at("/components/schemas/AuditRecord/properties").has("txn")).isTrue();
  }
}

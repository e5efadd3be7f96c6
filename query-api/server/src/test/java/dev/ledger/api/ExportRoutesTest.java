package dev.ledger.api;

import static dev.ledger.api.TestApi.assertError;
import static dev.ledger.api.TestApi.json;
import static dev.ledger.api.TestApi.jsonLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.sign.PublicKeys;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/exports} and {@code GET /v1/keys} on a real server over a real integrity log,
 * written through the export module's own writer: acme has 50 records committed at {@link #T1}
 * under a first checkpoint and 20 more at {@link #T2} under a second; globex has committed records
 * but no checkpoint yet.
 */
class ExportRoutesTest {
  static final Instant T1 = Instant.parse("2026-11-21T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-11-21T11:00:00Z");

  @TempDir static Path dir;
  static TestApi.Keys keys;
  static NotaryKey notaryKey;
  static IntegrityLog log;
  static Checkpoint first;
  static TestApi api;

  @BeforeAll
  static void fillLogAndStart() throws Exception {
    keys = TestApi.Keys.create(dir);
    notaryKey = NotaryKey.generate();
    AuditLogs.SettableClock clock = new AuditLogs.SettableClock(T1);
    log = IntegrityLog.open(dir.resolve(IntegrityLog.DIRECTORY), notaryKey, clock);
    AuditLogs.append(log, "acme", 0, 50);
    first = log.checkpoint("acme").orElseThrow();
    clock.set(T2);
    AuditLogs.append(log, "acme", 50, 70);
    log.checkpoint("acme").orElseThrow();
    AuditLogs.append(log, "globex", 0, 3);
    api =
        TestApi.start(
            new ApiContext(
                keys.store(),
                null,
                null,
                null,
                List.of(),
                null,
                new Exporter(dir.resolve(IntegrityLog.DIRECTORY)),
                notaryKey.publicKey()));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    log.close();
  }

  @Test
  void keysServesTheNotaryKeyAsAJwkSetToAnyRole() {
    for (String key : List.of(keys.producerAcme(), keys.auditorGlobex(), keys.admin())) {
      HttpResponse<String> response = api.get("/v1/keys", key);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      JsonNode jwk = json(response).path("keys").path(0);
      assertThat(jwk.path("kty").asText()).isEqualTo("OKP");
      assertThat(jwk.path("crv").asText()).isEqualTo("Ed25519");
      assertThat(jwk.path("kid").asText()).isEqualTo(notaryKey.keyId());
      assertThat(PublicKeys.parse(response.body())).isEqualTo(notaryKey.publicKey());
    }
    assertThat(api.get("/v1/keys", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/v1/keys", "ldg_nope_nope").statusCode()).isEqualTo(401);
  }

  @Test
  void ndjsonExportVerifiesWithTheKeyFromKeys() {
    PublicKey key = PublicKeys.parse(api.get("/v1/keys", keys.auditorAcme()).body());
    HttpResponse<String> response = api.get("/v1/exports?tenant=acme", keys.admin());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"ledger-acme-0-70.ndjson\"");
    VerificationReport report = verify(response.body(), key, null);
    assertThat(report.problems()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(report.records()).isEqualTo(70);
    assertThat(report.tenant()).isEqualTo("acme");
    assertThat(report.checkpoint().treeSize()).isEqualTo(70);
  }

  @Test
  void aChangedRecordInTheDownloadFailsVerification() {
    String body = api.get("/v1/exports?tenant=acme", keys.auditorAcme()).body();
    String changed = body.replace("\"ev-acme-17\"", "\"ev-acme-71\"");
    assertThat(changed).isNotEqualTo(body);

    VerificationReport report = verify(changed, notaryKey.publicKey(), null);

    assertThat(report.ok()).isFalse();
    assertThat(report.problems())
        .extracting(VerificationReport.Problem::kind)
        .contains(VerificationReport.Kind.CHANGED);
    assertThat(verify(body, NotaryKey.generate().publicKey(), null).ok())
        .as("another key")
        .isFalse();
  }

  @Test
  void aPeriodSelectsByCommitTimeAndProvesConsistencyWithThePreviousCheckpoint() {
    HttpResponse<String> response =
        api.get(
            "/v1/exports?tenant=acme&from=2026-11-21T12:00:00%2B01:00"
                + "&previous_tree_size="
                + first.treeSize(),
            keys.auditorAcme());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"ledger-acme-50-70.ndjson\"");
    JsonNode header =
        jsonLine(response.body().lines().findFirst().orElseThrow()).path("ledger_export");
    assertThat(header.path("first_leaf").asLong()).isEqualTo(50);
    assertThat(header.path("consistency").path("from_tree_size").asLong()).isEqualTo(50);
    VerificationReport report = verify(response.body(), notaryKey.publicKey(), first);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(20);

    HttpResponse<String> before =
        api.get("/v1/exports?tenant=acme&to=2026-11-21T11:00:00Z", keys.auditorAcme());
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(verify(before.body(), notaryKey.publicKey(), null).records()).isEqualTo(50);
  }

  @Test
  void csvAndOcsfAreViewsOfTheSameLeaves() {
    HttpResponse<String> csv = api.get("/v1/exports?tenant=acme&format=csv", keys.auditorAcme());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"ledger-acme-0-70.csv\"");
    List<String> rows = csv.body().lines().toList();
    assertThat(rows).hasSize(71);
    assertThat(rows.get(0)).startsWith("leaf_index,committed_at,leaf_hash,event_id");
    assertThat(rows.get(18)).startsWith("17,").contains("ev-acme-17");

    HttpResponse<String> ocsf = api.get("/v1/exports?tenant=acme&format=ocsf", keys.auditorAcme());
    assertThat(ocsf.statusCode()).isEqualTo(200);
    assertThat(ocsf.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(ocsf.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"ledger-acme-0-70.ocsf.ndjson\"");
    List<String> events = ocsf.body().lines().toList();
    assertThat(events).hasSize(70);
    List<Integer> classes = new ArrayList<>();
    for (String event : events) {
      classes.add(jsonLine(event).path("class_uid").asInt());
    }
    assertThat(classes).containsOnly(6003);
  }

  @Test
  void tenantScopingIsThatOfEveryRead() {
    // A tenant credential exports its own tenant, named or not.
    assertThat(
            api.get("/v1/exports", keys.auditorAcme()).headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"ledger-acme-0-70.ndjson\"");
    assertThat(api.get("/v1/exports?tenant=acme", keys.adminAcme()).statusCode()).isEqualTo(200);
    assertError(api.get("/v1/exports?tenant=acme", keys.auditorGlobex()), 403, "forbidden");
    assertError(api.get("/v1/exports?tenant=globex", keys.auditorAcme()), 403, "forbidden");
    assertError(api.get("/v1/exports?tenant=*", keys.auditorAcme()), 403, "forbidden");
    assertError(api.get("/v1/exports?tenant=acme", keys.producerAcme()), 403, "forbidden");
    assertError(api.get("/v1/exports?tenant=acme", null), 401, "unauthorized");

    // A * credential must name exactly one tenant.
    JsonNode none = assertError(api.get("/v1/exports", keys.admin()), 400, "bad_request");
    assertThat(none.path("details").findValuesAsText("parameter")).containsExactly("tenant");
    JsonNode all =
        assertError(api.get("/v1/exports?tenant=*&format=xml", keys.admin()), 400, "bad_request");
    assertThat(all.path("details").findValuesAsText("parameter"))
        .containsExactly("tenant", "format");
  }

  @Test
  void everyBadParameterIsListedAtOnce() {
    JsonNode error =
        assertError(
            api.get(
                "/v1/exports?tenant=acme&from=yesterday&to=2026-11-20T09:00:00Z"
                    + "&format=pdf&previous_tree_size=-3",
                keys.auditorAcme()),
            400,
            "bad_request");
    assertThat(error.path("details").findValuesAsText("parameter"))
        .containsExactlyInAnyOrder("from", "format", "previous_tree_size");
    assertThat(error.path("message").asText()).contains("from", "format", "previous_tree_size");

    JsonNode period =
        assertError(
            api.get(
                "/v1/exports?tenant=acme&from=2026-11-21T00:00:00Z" + "&to=2026-11-20T00:00:00Z",
                keys.auditorAcme()),
            400,
            "bad_request");
    assertThat(period.path("details").findValuesAsText("parameter")).containsExactly("to");

    JsonNode tooNew =
        assertError(
            api.get("/v1/exports?tenant=acme&previous_tree_size=71", keys.auditorAcme()),
            400,
            "bad_request");
    assertThat(tooNew.path("details").path(0).path("parameter").asText())
        .isEqualTo("previous_tree_size");
    assertThat(tooNew.path("details").path(0).path("reason").asText()).contains("70");
  }

  @Test
  void notFoundBeforeTheTenantsFirstCheckpoint() {
    // globex has committed records, but the notary has not signed a checkpoint over them yet.
    assertError(api.get("/v1/exports?tenant=globex", keys.auditorGlobex()), 404, "not_found");
    assertError(api.get("/v1/exports?tenant=nobody", keys.admin()), 404, "not_found");
  }

  @Test
  void unavailableWhereTheExporterAndKeyDoNotRun() {
    try (TestApi bare =
        TestApi.start(new ApiContext(keys.store(), null, null, null, List.of(), null))) {
      assertError(bare.get("/v1/exports?tenant=acme", keys.admin()), 503, "unavailable");
      assertError(bare.get("/v1/keys", keys.admin()), 503, "unavailable");
      // Credentials are still checked first.
      assertError(bare.get("/v1/keys", null), 401, "unauthorized");
    }
  }

  static VerificationReport verify(String body, PublicKey key, Checkpoint previous) {
    return Verifier.verify(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
        key,
        previous,
        ProgressListener.NONE);
  }
}

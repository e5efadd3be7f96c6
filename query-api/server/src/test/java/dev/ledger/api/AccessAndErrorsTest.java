package dev.ledger.api;

import static dev.ledger.api.TestApi.assertError;
import static dev.ledger.api.TestApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.auth.KeyStore;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Authentication, roles, tenant scoping and the error shape, on a real server with a real (empty)
 * index.
 */
class AccessAndErrorsTest extends IndexedApiTest {
  @Test
  void missingCredentialIs401WithABearerChallenge() {
    HttpResponse<String> response = api.get("/v1/audit", null);
    assertError(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void invalidCredentialOrSchemeIs401() {
    HttpResponse<String> invalid = api.get("/v1/audit", "ldg_0000000000000000_nope");
    assertError(invalid, 401, "unauthorized");
    assertThat(invalid.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");

    assertError(
        api.send(api.request("/v1/audit", null).header("Authorization", "Basic YTpi")),
        401,
        "unauthorized");
  }

  @Test
  void revokedKeyIs401() {
    String key =
        keys.store().create(dev.ledger.api.auth.Role.auditor, "acme", "short-lived").secret();
    assertThat(api.get("/v1/audit", key).statusCode()).isEqualTo(200);
    keys.store().revoke(key);
    assertError(api.get("/v1/audit", key), 401, "unauthorized");
  }

  @Test
  void wrongRoleIs403() {
    assertError(api.get("/v1/audit", keys.producerAcme()), 403, "forbidden");
    assertError(
        api.post("/v1/events", keys.auditorAcme(), "application/json", "[]"), 403, "forbidden");
  }

  @Test
  void crossTenantReadIs403AndOwnTenantIsFine() {
    assertError(api.get("/v1/audit?tenant=globex", keys.auditorAcme()), 403, "forbidden");
    assertError(api.get("/v1/audit?tenant=*", keys.auditorAcme()), 403, "forbidden");
    assertError(api.get("/v1/tokens/t1?tenant=globex", keys.adminAcme()), 403, "forbidden");
    assertThat(api.get("/v1/audit?tenant=acme", keys.auditorAcme()).statusCode()).isEqualTo(200);
    assertThat(api.get("/v1/audit?tenant=*", keys.admin()).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedTenantIs400AndStarIsForListsOnly() {
    assertError(api.get("/v1/audit?tenant=a/b", keys.admin()), 400, "bad_request");
    HttpResponse<String> star = api.get("/v1/tokens/t1?tenant=*", keys.admin());
    assertError(star, 400, "bad_request");
    assertThat(json(star).at("/error/details/0/parameter").asText()).isEqualTo("tenant");
  }

  @Test
  void unknownPathsAre404EvenForBrowsers() {
    assertError(api.get("/v1/nope", keys.admin()), 404, "not_found");
    assertError(
        api.send(api.request("/nope", null).header("Accept", "text/html").GET()), 404, "not_found");
  }

  @Test
  void unknownTokenIs404() {
    HttpResponse<String> response = api.get("/v1/tokens/never-issued", keys.admin());
    assertError(response, 404, "not_found");
    assertThat(json(response).at("/error/message").asText()).contains("never-issued", "default");
    assertError(api.get("/v1/tokens/never-issued/descendants", keys.admin()), 404, "not_found");
  }

  @Test
  void wrongMethodIs405() {
    assertError(
        api.send(api.request("/v1/audit", keys.admin()).DELETE()), 405, "method_not_allowed");
    assertError(api.send(api.request("/v1/events", keys.admin()).GET()), 405, "method_not_allowed");
  }

  @Test
  void partsThatDoNotRunHereAre503() {
    assertError(
        api.post("/v1/events", keys.producerAcme(), "application/json", "[]"), 503, "unavailable");
    assertError(api.get("/v1/revocations/stream", keys.admin()), 503, "unavailable");
    assertError(api.get("/metrics", null), 503, "unavailable");
    try (TestApi bare = TestApi.start(new ApiContext(keys.store(), null, null, null, null, null))) {
      assertError(bare.get("/v1/tokens/x", keys.admin()), 503, "unavailable");
      assertError(bare.get("/v1/audit", keys.admin()), 503, "unavailable");
    }
    try (TestApi noKeys = TestApi.start(new ApiContext(null, null, index, null, null, null))) {
      assertError(noKeys.get("/v1/audit", keys.admin()), 503, "unavailable");
      assertThat(noKeys.get("/health", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unexpectedExceptionIs500WithAnIdAndNoStackTrace() {
    KeyStore broken =
        credential -> {
          throw new IllegalStateException("keys file vanished");
        };
    try (TestApi failing = TestApi.start(new ApiContext(broken, null, index, null, null, null))) {
      HttpResponse<String> response = failing.get("/v1/audit", keys.admin());
      assertError(response, 500, "internal");
      String id = json(response).at("/error/details/id").asText();
      assertThat(id).isNotBlank();
      assertThat(json(response).at("/error/message").asText()).contains(id);
      assertThat(response.body()).doesNotContain("keys file vanished");
    }
  }

  @Test
  void openRoutesNeedNoCredential() {
    assertThat(api.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/openapi.json", null).statusCode()).isEqualTo(200);
    assertThat(api.send(api.request("/health", "garbage").GET()).statusCode()).isEqualTo(200);
  }

  @Test
  void badParametersAre400NamingTheParameter() {
    for (String[] c :
        new String[][] {
          {"/v1/audit?limit=0", "limit"},
          {"/v1/audit?limit=1001", "limit"},
          {"/v1/audit?limit=ten", "limit"},
          {"/v1/audit?from=yesterday", "from"},
          {"/v1/alerts?to=2026-13-01", "to"},
          {"/v1/revocations?since=1700000000", "since"},
          {"/v1/audit?cursor=not-a-cursor", "cursor"},
          {"/v1/alerts?kind=speeding", "kind"},
          {"/v1/audit?outcome=maybe", "outcome"},
          {"/v1/audit?format=xml", "format"},
          // Valid RFC 3339 but beyond epoch milliseconds: found by the fuzz run as a 500
          // (ArithmeticException).
          {"/v1/revocations?since=%2B999999999-12-31T23%3A59%3A59Z", "since"},
          {"/v1/audit?from=%2B999999999-12-31T23%3A59%3A59Z", "from"},
          {"/v1/alerts?to=-999999999-01-01T00%3A00%3A00Z", "to"}
        }) {
      HttpResponse<String> response = api.get(c[0], keys.admin());
      assertError(response, 400, "bad_request");
      assertThat(json(response).at("/error/details/0/parameter").asText()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void headNeedsTheSameAccessAsGet() {
    for (String path :
        List.of("/v1/audit", "/v1/tokens/tok-1", "/v1/alerts", "/v1/revocations", "/v1/exports")) {
      HttpResponse<String> anonymous = api.send(api.request(path, null).HEAD());
      assertThat(anonymous.statusCode()).as("HEAD %s without a credential", path).isEqualTo(401);
      assertThat(api.send(api.request(path, "ldg_nope_nope").HEAD()).statusCode())
          .as(path)
          .isEqualTo(401);
    }
    assertThat(
            api.send(api.request("/v1/audit?tenant=globex", keys.auditorAcme()).HEAD())
                .statusCode())
        .isEqualTo(403);
    assertThat(api.send(api.request("/v1/audit", keys.auditorAcme()).HEAD()).statusCode())
        .isEqualTo(200);
    assertThat(api.send(api.request("/health", null).HEAD()).statusCode()).isEqualTo(200);
  }

  @Test
  void aQueryLuceneRefusesIs400NamingQ() {
    // The q=/.*a.{20}/ was a 500 with an ERROR stack trace per request.
    for (String q :
        List.of("/.*a.{20}/", "principal:/ab.*a.{30}/", "/.*e.*v.*/", "principal:/ab[/")) {
      HttpResponse<String> response =
          api.get(
              "/v1/audit?q="
                  + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8),
              keys.admin());
      assertError(response, 400, "bad_request");
      assertThat(json(response).at("/error/details/0/parameter").asText()).as(q).isEqualTo("q");
    }
  }

  @Test
  void malformedQueryIs400WithTheParsersMessage() {
    HttpResponse<String> response =
        api.get(
            "/v1/audit?q="
                + java.net.URLEncoder.encode(
                    "actor:(unclosed", java.nio.charset.StandardCharsets.UTF_8),
            keys.admin());
    assertError(response, 400, "bad_request");
    assertThat(json(response).at("/error/details/0/parameter").asText()).isEqualTo("q");
    assertThat(json(response).at("/error/message").asText()).containsIgnoringCase("parse");
  }

  @Test
  void requestsTooBrokenForJavalinStillGetTheErrorShape() throws Exception {
    int port = api.server.port();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 400")
          .contains("Content-Type: application/json")
          .contains("{\"error\":{\"code\":\"bad_request\"")
          .doesNotContain("<html");
    }
  }
}

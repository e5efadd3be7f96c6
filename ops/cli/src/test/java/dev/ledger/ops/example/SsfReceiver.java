package dev.ledger.ops.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * An SSF receiver written from SSF 1.0 section 7-8, RFC 8417 and RFC 8936 alone, not from the
 * ledger's code: it finds every endpoint through discovery, and checks each SET as a receiver must
 * (RS256 with a key of {@code jwks_uri}, {@code typ: secevent+jwt}, its issuer and audience, no
 * {@code sub}/{@code exp}, exactly one event).
 */
final class SsfReceiver {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final String wellKnownBase;
  final String credential;
  private final HttpClient http;
  JsonNode config;
  JWKSet keys;

  SsfReceiver(String base, String credential) {
    this(base, credential, HTTP);
  }

  /**
   * @param http the client to call the transmitter with (one that trusts its TLS certificate)
   */
  SsfReceiver(String base, String credential, HttpClient http) {
    this.wellKnownBase = base;
    this.credential = credential;
    this.http = http;
  }

  /** Reads {@code /.well-known/ssf-configuration} and the keys at its {@code jwks_uri}. */
  JsonNode discover() throws Exception {
    HttpResponse<String> r =
        send("GET", wellKnownBase + "/.well-known/ssf-configuration", null, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("discovery answered " + r.statusCode());
    }
    config = JSON.readTree(r.body());
    keys = JWKSet.parse(send("GET", config.get("jwks_uri").asText(), null, null).body());
    return config;
  }

  String endpoint(String name) {
    return config.get(name).asText();
  }

  HttpResponse<String> send(String method, String url, Object body, String bearer)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    String text =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    b.method(
        method,
        text == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(text));
    if (text != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Calls a management endpoint with this receiver's credential. */
  HttpResponse<String> call(String method, String endpointName, String query, Object body)
      throws Exception {
    return send(
        method, endpoint(endpointName) + (query == null ? "" : "?" + query), body, credential);
  }

  JsonNode createStream(Object body) throws Exception {
    HttpResponse<String> r = call("POST", "configuration_endpoint", null, body);
    if (r.statusCode() != 201) {
      throw new AssertionError("create answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** RFC 8936 section 2.4: one poll request; answers {@code {sets, moreAvailable}}. */
  JsonNode poll(JsonNode stream, Map<String, Object> request) throws Exception {
    HttpResponse<String> r =
        send("POST", stream.get("delivery").get("endpoint_url").asText(), request, credential);
    if (r.statusCode() != 200) {
      throw new AssertionError("poll answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Validates a SET as RFC 8417 and SSF 1.0 section 4 want and returns its claims. */
  JWTClaimsSet verify(String compact, String audience) throws Exception {
    SignedJWT jwt = SignedJWT.parse(compact);
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new AssertionError("not RS256: " + jwt.getHeader().getAlgorithm());
    }
    if (!new JOSEObjectType("secevent+jwt").equals(jwt.getHeader().getType())) {
      throw new AssertionError("typ is " + jwt.getHeader().getType());
    }
    RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    if (key == null || key.size() < 2048 || !jwt.verify(new RSASSAVerifier(key))) {
      throw new AssertionError(
          "signature does not verify with jwks_uri's key " + jwt.getHeader().getKeyID());
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    if (!config.get("issuer").asText().equals(claims.getIssuer())) {
      throw new AssertionError("iss " + claims.getIssuer() + " is not the discovery issuer");
    }
    if (!claims.getAudience().contains(audience)) {
      throw new AssertionError("aud " + claims.getAudience() + " lacks " + audience);
    }
    if (claims.getSubject() != null || claims.getExpirationTime() != null) {
      throw new AssertionError("a SET must carry neither sub nor exp");
    }
    if (claims.getJWTID() == null
        || claims.getIssueTime() == null
        || claims.getJSONObjectClaim("sub_id") == null) {
      throw new AssertionError("jti, iat and sub_id are required");
    }
    if (claims.getJSONObjectClaim("events").size() != 1) {
      throw new AssertionError("exactly one event per SET");
    }
    return claims;
  }

  static String eventType(JWTClaimsSet claims) throws Exception {
    return claims.getJSONObjectClaim("events").keySet().iterator().next();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> event(JWTClaimsSet claims) throws Exception {
    return (Map<String, Object>) claims.getJSONObjectClaim("events").values().iterator().next();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }
}

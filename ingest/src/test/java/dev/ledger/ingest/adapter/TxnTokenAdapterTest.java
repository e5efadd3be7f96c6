package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transaction Tokens signed here with Nimbus, as a Txn-Token Service mints them, read back as
 * ledger events.
 */
class TxnTokenAdapterTest {

  private static final Instant IAT = Instant.parse("2026-12-04T09:00:00Z");
  private static final String TRUST_DOMAIN = "trust-domain.example";
  private static ECKey key;
  private static ECKey otherKey;

  @BeforeAll
  static void keys() throws JOSEException {
    key = new ECKeyGenerator(Curve.P_256).keyID("tts-1").generate();
    otherKey = new ECKeyGenerator(Curve.P_256).keyID("tts-1").generate();
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer("https://tts.example")
        .audience(TRUST_DOMAIN)
        .subject("user:dana")
        .claim("txn", "97053963-771d-49cc-a4e3-20aad399c312")
        .claim("acti", "wf-checkout-7")
        .claim("scope", "orders:read orders:write")
        .claim("req_wl", "svc:api-gateway")
        .claim("tctx", Map.of("amount", "42.00", "card", "4111 1111 1111 1111"))
        .claim("rctx", Map.of("req_ip", "198.51.100.7", "authn", "urn:ietf:rfc:6749"))
        .issueTime(Date.from(IAT))
        .expirationTime(Date.from(IAT.plusSeconds(60)));
  }

  private static String sign(JWTClaimsSet claims, ECKey with, String typ) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(with.getKeyID())
                  .type(new JOSEObjectType(typ))
                  .build(),
              claims);
      jwt.sign(new ECDSASigner(with));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String txnToken(JWTClaimsSet claims) {
    return sign(claims, key, TxnTokenAdapter.TYP);
  }

  private static TxnTokenAdapter verifying() {
    return TxnTokenAdapter.verifying(new JWKSet(key.toPublicJWK()));
  }

  private static String refusal(Runnable report) {
    try {
      report.run();
    } catch (InvalidEventException e) {
      return e.problems().get(0).field() + " " + e.problems().get(0).reason();
    }
    throw new AssertionError("not refused");
  }

  private static String hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aTxnTokenWithoutJtiIsIssuedUnderTheHashOfTheSignedTokenWithItsTransaction()
      throws Exception {
    String token = txnToken(claims().build());
    TokenEvents reported = verifying().events(token).tenant("acme");
    assertThat(reported.warnings()).isEmpty();
    LedgerEvent event = reported.build().getFirst();
    TokenBody body = event.getToken();
    assertThat(event.getType()).isEqualTo("token.issued");
    assertThat(body.getTokenId())
        .isEqualTo("txn-sha256:" + hex(token))
        .isEqualTo(TxnTokenAdapter.tokenId(token));
    assertThat(body.getTxn()).isEqualTo("97053963-771d-49cc-a4e3-20aad399c312");
    assertThat(body.getActi()).isEqualTo("wf-checkout-7");
    assertThat(body.getSubject()).isEqualTo("user:dana");
    assertThat(body.getActor()).isEqualTo("svc:api-gateway");
    assertThat(body.getIssuer()).isEqualTo("https://tts.example");
    assertThat(body.getAudience()).containsExactly(TRUST_DOMAIN);
    assertThat(body.getScopes()).containsExactly("orders:read", "orders:write");
    assertThat(body.getExpiresAt()).isEqualTo(IAT.plusSeconds(60));
    assertThat(event.getOccurredAt()).isEqualTo(IAT);
    assertThat(event.getEventId()).isEqualTo("token.issued:" + body.getTokenId());
  }

  @Test
  void theTokenIsNeverKeptVerbatimOnlyItsIdsTheClaimsUsedAndAHash() throws Exception {
    String token = txnToken(claims().build());
    String ndjson = verifying().events(token).tenant("acme").toNdjson();
    String signature = token.substring(token.lastIndexOf('.') + 1);
    String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
    assertThat(ndjson)
        .doesNotContain(signature)
        .doesNotContain(payload)
        .doesNotContain("4111")
        .doesNotContain("198.51.100.7")
        .doesNotContain("tctx")
        .doesNotContain("rctx");
    LedgerEvent event = verifying().events(token).build().getFirst();
    assertThat(event.getToken().getAttributes())
        .containsExactly(Map.entry(TxnTokenAdapter.HASH_ATTRIBUTE, hex(token)));
  }

  @Test
  void aJtiIsTheTokenIdAndTheRequestingWorkloadMayComeFromRctx() {
    String token =
        txnToken(
            claims()
                .jwtID("txn-tok-1")
                .claim("req_wl", null)
                .claim("rctx", Map.of("req_wl", "svc:checkout"))
                .build());
    TokenBody body = TxnTokenAdapter.structureOnly().events(token).build().getFirst().getToken();
    assertThat(body.getTokenId()).isEqualTo("txn-tok-1").isEqualTo(TxnTokenAdapter.tokenId(token));
    assertThat(body.getActor()).isEqualTo("svc:checkout");
  }

  @Test
  void aReplacementContinuesTheChainOfTheTokenItReplacesAsAHopWithTheSameTransaction() {
    String first = txnToken(claims().build());
    String firstId = TxnTokenAdapter.tokenId(first);
    String replacement =
        txnToken(
            claims()
                .claim("req_wl", "svc:payments")
                .claim("scope", "orders:read")
                .issueTime(Date.from(IAT.plusSeconds(2)))
                .build());

    // Named by the reporter ...
    LedgerEvent named =
        verifying().replacing(replacement, firstId).tenant("acme").build().getFirst();
    assertThat(named.getType()).isEqualTo("token.exchanged");
    assertThat(named.getToken().getParentTokenId()).isEqualTo(firstId);
    assertThat(named.getToken().getTokenId())
        .isEqualTo(TxnTokenAdapter.tokenId(replacement))
        .isNotEqualTo(firstId);
    assertThat(named.getToken().getActor()).isEqualTo("svc:payments");
    assertThat(named.getToken().getScopes()).containsExactly("orders:read");
    assertThat(named.getToken().getTxn()).isEqualTo("97053963-771d-49cc-a4e3-20aad399c312");
    assertThat(named.getToken().getSubject())
        .as("a child states no subject: it inherits the principal")
        .isNull();

    // ... or by the token itself, in the ledger's replaces claim.
    String claimed = txnToken(claims().claim(TxnTokenAdapter.REPLACES_CLAIM, firstId).build());
    LedgerEvent fromClaim = verifying().events(claimed).build().getFirst();
    assertThat(fromClaim.getType()).isEqualTo("token.exchanged");
    assertThat(fromClaim.getToken().getParentTokenId()).isEqualTo(firstId);
    assertThat(refusal(() -> verifying().replacing(claimed, "another-token")))
        .isEqualTo("txn_token its replaces claim names " + firstId + ", not another-token");
  }

  @Test
  void structureOnlyReadsTheClaimsAndSaysSo() {
    String token = sign(claims().build(), otherKey, TxnTokenAdapter.TYP);
    TokenEvents reported = TxnTokenAdapter.structureOnly().events(token);
    assertThat(TxnTokenAdapter.structureOnly().verifies()).isFalse();
    assertThat(verifying().verifies()).isTrue();
    assertThat(reported.warnings())
        .containsExactly("structure only: no key given, so no signature was checked");
    assertThat(reported.build().getFirst().getToken().getSubject()).isEqualTo("user:dana");
  }

  @Test
  void aTokenSignedByAnotherKeyOrOfAnotherTypeOrNoJwtIsRefusedWithTheReason() {
    assertThat(
            refusal(
                () -> verifying().events(sign(claims().build(), otherKey, TxnTokenAdapter.TYP))))
        .startsWith("txn_token signature not verified");
    String accessToken = sign(claims().build(), key, "at+jwt");
    assertThat(refusal(() -> verifying().events(accessToken)))
        .startsWith("txn_token not a Txn-Token");
    assertThat(refusal(() -> TxnTokenAdapter.structureOnly().events(accessToken)))
        .isEqualTo("txn_token not a Txn-Token: its typ is at+jwt, not txntoken+jwt");
    assertThat(refusal(() -> TxnTokenAdapter.structureOnly().events("not-a-jwt")))
        .startsWith("txn_token not a JWT");
    assertThat(
            refusal(
                () ->
                    TxnTokenAdapter.structureOnly()
                        .events("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")))
        .as("a JWE")
        .startsWith("txn_token not a");
    assertThat(
            refusal(
                () -> verifying().events("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")))
        .startsWith("txn_token ");
  }

  @Test
  void whatTheTokenDoesNotStateComesFromTheDefaultsElseTheTrustDomain() {
    String bare =
        txnToken(
            new JWTClaimsSet.Builder()
                .audience(TRUST_DOMAIN)
                .claim("txn", "t-1")
                .issueTime(Date.from(IAT))
                .build());
    TokenEvents withDefaults =
        verifying()
            .defaults(RootDefaults.NONE.withSubject("user:dana").withActor("svc:edge"))
            .events(bare);
    TokenBody body = withDefaults.build().getFirst().getToken();
    assertThat(body.getIssuer()).isEqualTo("txntoken:" + TRUST_DOMAIN);
    assertThat(body.getSubject()).isEqualTo("user:dana");
    assertThat(body.getActor()).isEqualTo("svc:edge");
    assertThat(body.getScopes()).isEmpty();
    assertThat(body.getActi()).isNull();

    TokenEvents none =
        verifying()
            .events(
                txnToken(
                    new JWTClaimsSet.Builder()
                        .audience(TRUST_DOMAIN)
                        .subject("user:dana")
                        .issueTime(Date.from(IAT))
                        .build()));
    assertThat(none.warnings())
        .containsExactly(
            "the Txn-Token has no txn claim: its audit records carry no transaction id");
    assertThat(none.build().getFirst().getToken().getTxn()).isNull();
    assertThat(List.of(none.build().getFirst().getToken().getActor())).containsExactly("user:dana");
  }
}

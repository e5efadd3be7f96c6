package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.schemas.avro.RevocationNotice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetFactoryTest {
  private static final String ISS = "https://ledger.example";
  private static RSAKey key;
  private static SetFactory sets;

  @BeforeAll
  static void key(@TempDir Path dir) throws Exception {
    key = SigningKey.loadOrCreate(dir);
    sets = new SetFactory(key);
  }

  private static RevocationNotice notice(String token, String cause) {
    RevocationNotice n = new RevocationNotice();
    n.setTenant("acme");
    n.setTokenId(token);
    n.setRootId("tok-root");
    n.setRevokedAt(Instant.parse("2026-03-01T12:00:00.250Z"));
    n.setRevocationCause(cause);
    n.setReason("compromised");
    n.setRevokedBy("sec-team");
    n.setPrincipal("user:dana");
    n.setDepth(2);
    n.setEventId("ev-9");
    n.setNotifiedAt(Instant.parse("2026-03-01T12:00:00.300Z"));
    return n;
  }

  private static SignedJWT verified(String compact) throws Exception {
    SignedJWT jwt = SignedJWT.parse(compact);
    assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("secevent+jwt"));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getSubject()).isNull();
    assertThat(c.getExpirationTime()).isNull();
    assertThat(c.getJSONObjectClaim("events")).hasSize(1);
    return jwt;
  }

  @Test
  void aDescendantIsRevokedByPolicyNamingItsAncestorRootAndChain() throws Exception {
    String compact =
        sets.revocation(
            ISS,
            "rx-1",
            "s1:0:7",
            SetEvents.SESSION_REVOKED,
            notice("tok-leaf", "tok-mid"),
            new SetFactory.Lineage(
                "https://auth.example", List.of("tok-root", "tok-mid", "tok-leaf")));
    JWTClaimsSet c = verified(compact).getJWTClaimsSet();
    assertThat(c.getIssuer()).isEqualTo(ISS);
    assertThat(c.getAudience()).containsExactly("rx-1");
    assertThat(c.getJWTID()).isEqualTo("s1:0:7");
    assertThat(c.getStringClaim("txn")).isEqualTo("ev-9");
    assertThat(c.getIssueTime().toInstant()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(c.getJSONObjectClaim("sub_id"))
        .isEqualTo(Map.of("format", "jwt_id", "iss", "https://auth.example", "jti", "tok-leaf"));
    @SuppressWarnings("unchecked")
    Map<String, Object> event =
        (Map<String, Object>) c.getJSONObjectClaim("events").get(SetEvents.SESSION_REVOKED);
    assertThat(event)
        .containsEntry("initiating_entity", "policy")
        .containsEntry("event_timestamp", 1772366400L);
    assertThat(event.get("reason_admin"))
        .isEqualTo(Map.of("en", "ancestor tok-mid revoked by sec-team: compromised"));
    @SuppressWarnings("unchecked")
    Map<String, Object> delegation = (Map<String, Object>) event.get(SetEvents.DELEGATION);
    assertThat(delegation)
        .containsEntry("revoked_ancestor", "tok-mid")
        .containsEntry("root", "tok-root")
        .containsEntry("chain", List.of("tok-root", "tok-mid", "tok-leaf"))
        .containsEntry("tenant", "acme");
  }

  @Test
  void theNamedTokenIsRevokedByAnAdminAndAnUnknownIssuerGivesAnOpaqueSubject() throws Exception {
    JWTClaimsSet c =
        verified(
                sets.revocation(
                    ISS, "rx", "j", SetEvents.SESSION_REVOKED, notice("tok-mid", "tok-mid"), null))
            .getJWTClaimsSet();
    assertThat(c.getJSONObjectClaim("sub_id"))
        .isEqualTo(Map.of("format", "opaque", "id", "tok-mid"));
    @SuppressWarnings("unchecked")
    Map<String, Object> event =
        (Map<String, Object>) c.getJSONObjectClaim("events").get(SetEvents.SESSION_REVOKED);
    assertThat(event).containsEntry("initiating_entity", "admin");
    assertThat(event.get(SetEvents.DELEGATION).toString()).contains("chain=[tok-root, tok-mid]");
  }

  @Test
  void credentialChangeCarriesItsRequiredMembers() throws Exception {
    JWTClaimsSet c =
        verified(
                sets.revocation(
                    ISS,
                    "rx",
                    "j",
                    SetEvents.CREDENTIAL_CHANGE,
                    notice("tok-leaf", "tok-root"),
                    null))
            .getJWTClaimsSet();
    assertThat(c.getJSONObjectClaim("events").get(SetEvents.CREDENTIAL_CHANGE).toString())
        .contains("change_type=revoke", "credential_type=");
  }

  @Test
  void verificationCarriesTheStateAndNamesTheStream() throws Exception {
    JWTClaimsSet c =
        verified(sets.verification(ISS, "rx", "j", "stream-1", "st-1")).getJWTClaimsSet();
    assertThat(c.getJSONObjectClaim("events"))
        .isEqualTo(Map.of(SetEvents.VERIFICATION, Map.of("state", "st-1")));
    assertThat(c.getJSONObjectClaim("sub_id"))
        .isEqualTo(Map.of("format", "opaque", "id", "stream-1"));
    assertThat(
            verified(sets.streamUpdated(ISS, "rx", "k", "stream-1", "paused", "maintenance"))
                .getJWTClaimsSet()
                .getJSONObjectClaim("events")
                .get(SetEvents.STREAM_UPDATED))
        .isEqualTo(Map.of("status", "paused", "reason", "maintenance"));
  }
}

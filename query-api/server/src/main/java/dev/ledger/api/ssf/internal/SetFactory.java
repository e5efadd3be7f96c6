package dev.ledger.api.ssf.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.schemas.avro.RevocationNotice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes Security Event Tokens (RFC 8417) as SSF 1.0 and the CAEP interoperability profile want
 * them: RS256, {@code typ: secevent+jwt}, a {@code kid}; claims {@code iss, iat, jti, aud, txn,
 * sub_id} and exactly one event; never {@code sub} or {@code exp}.
 */
public final class SetFactory {
  /**
   * What the ledger knows of a revoked token beyond its notice: its effective issuer and its chain,
   * root first.
   */
  public record Lineage(String issuer, List<String> chain) {}

  private final RSAKey key;
  private final RSASSASigner signer;

  public SetFactory(RSAKey key) {
    this.key = key;
    try {
      this.signer = new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("not a private RSA key", e);
    }
  }

  /**
   * The SET of one revoked token: {@code session-revoked} (or {@code credential-change} with {@code
   * change_type: revoke} when that is what the stream gets), {@code txn} the revocation event's id,
   * shared by the whole cascade.
   *
   * @param lineage what the index knows of the token, or null
   */
  public String revocation(
      String issuer,
      String audience,
      String jti,
      String eventType,
      RevocationNotice notice,
      Lineage lineage) {
    boolean named = notice.getTokenId().equals(notice.getRevocationCause());
    Map<String, Object> event = new LinkedHashMap<>();
    if (SetEvents.CREDENTIAL_CHANGE.equals(eventType)) {
      event.put("credential_type", "oauth-token");
      event.put("change_type", "revoke");
    }
    event.put("event_timestamp", notice.getRevokedAt().getEpochSecond());
    event.put("initiating_entity", named ? "admin" : "policy");
    event.put("reason_admin", Map.of("en", reason(notice, named)));
    Map<String, Object> delegation = new LinkedHashMap<>();
    delegation.put("tenant", notice.getTenant());
    delegation.put("revoked_ancestor", notice.getRevocationCause());
    delegation.put("root", notice.getRootId() == null ? notice.getTokenId() : notice.getRootId());
    delegation.put("chain", chain(notice, lineage));
    delegation.put("depth", notice.getDepth());
    if (notice.getPrincipal() != null) {
      delegation.put("principal", notice.getPrincipal());
    }
    event.put(SetEvents.DELEGATION, delegation);

    String tokenIssuer = lineage == null ? null : lineage.issuer();
    Map<String, Object> subject =
        tokenIssuer != null
            ? Map.of("format", "jwt_id", "iss", tokenIssuer, "jti", notice.getTokenId())
            : Map.of("format", "opaque", "id", notice.getTokenId());
    Instant iat = notice.getNotifiedAt() != null ? notice.getNotifiedAt() : notice.getRevokedAt();
    String txn =
        notice.getEventId() != null
            ? notice.getEventId()
            : "revocation:" + notice.getTenant() + "/" + notice.getRevocationCause();
    return sign(issuer, audience, jti, iat, txn, subject, eventType, event);
  }

  /**
   * The verification SET of SSF 1.0 section 8.1.4.2, carrying the receiver's {@code state} if it
   * gave one.
   */
  public String verification(
      String issuer, String audience, String jti, String streamId, String state) {
    Map<String, Object> event = new LinkedHashMap<>();
    if (state != null) {
      event.put("state", state);
    }
    return sign(
        issuer,
        audience,
        jti,
        Instant.now(),
        null,
        streamSubject(streamId),
        SetEvents.VERIFICATION,
        event);
  }

  /**
   * The stream-updated SET a transmitter sends when it changes a stream's status itself (section
   * 8.1.5).
   */
  public String streamUpdated(
      String issuer, String audience, String jti, String streamId, String status, String reason) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("status", status);
    if (reason != null) {
      event.put("reason", reason);
    }
    return sign(
        issuer,
        audience,
        jti,
        Instant.now(),
        null,
        streamSubject(streamId),
        SetEvents.STREAM_UPDATED,
        event);
  }

  private static Map<String, Object> streamSubject(String streamId) {
    return Map.of("format", "opaque", "id", streamId);
  }

  private String sign(
      String issuer,
      String audience,
      String jti,
      Instant iat,
      String txn,
      Map<String, Object> subject,
      String eventType,
      Map<String, Object> event) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .jwtID(jti)
            .issueTime(Date.from(Instant.ofEpochSecond(iat.getEpochSecond())))
            .claim("sub_id", subject)
            .claim("events", Map.of(eventType, event));
    if (txn != null) {
      claims.claim("txn", txn);
    }
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(new JOSEObjectType("secevent+jwt"))
            .keyID(key.getKeyID())
            .build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a SET", e);
    }
    return jwt.serialize();
  }

  private static String reason(RevocationNotice notice, boolean named) {
    String why =
        notice.getReason() == null || notice.getReason().isBlank()
            ? "no reason given"
            : notice.getReason();
    String by = notice.getRevokedBy() == null ? "" : " by " + notice.getRevokedBy();
    return named
        ? "token " + notice.getTokenId() + " revoked" + by + ": " + why
        : "ancestor " + notice.getRevocationCause() + " revoked" + by + ": " + why;
  }

  private static List<String> chain(RevocationNotice notice, Lineage lineage) {
    if (lineage != null && !lineage.chain().isEmpty()) {
      return lineage.chain();
    }
    // Without the index, what the notice itself says: root, revoked ancestor, token.
    List<String> chain = new ArrayList<>();
    for (String id :
        new String[] {notice.getRootId(), notice.getRevocationCause(), notice.getTokenId()}) {
      if (id != null && !chain.contains(id)) {
        chain.add(id);
      }
    }
    return chain;
  }
}

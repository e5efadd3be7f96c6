package dev.ledger.ingest.adapter;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Turns JWT access tokens into {@code token.issued} and {@code token.exchanged} events, for an
 * authorization server that reports what it mints.
 *
 * <ul>
 *   <li>{@code token_id} is the {@code jti}; a token without one gets {@code jwt-sha256:} + the
 *       base64url SHA-256 of its compact form, so the same token always gets the same id.</li>
 *   <li>{@code event_id} is derived from the type and token id, so reporting a token twice (a
 *       retry, a replay) is one event to the ledger.</li>
 *   <li>{@code issuer} = {@code iss}, {@code subject} = {@code sub}, {@code audience} = {@code aud},
 *       {@code scopes} = {@code scope} split on spaces (or a {@code scp} array), {@code expires_at} =
 *       {@code exp}, {@code occurred_at} = {@code iat} (else now).</li>
 *   <li>{@code actor}: RFC 8693 section 4.1: the outermost {@code act.sub} is the current actor;
 *       without {@code act}, {@code client_id} or {@code azp}, else {@code sub}. The nested
 *       {@code act} chain (current actor first) is kept in the attribute {@code act_chain},
 *       space-separated.</li>
 * </ul>
 *
 * <p>Signatures are not checked here: the caller is the server that minted the token, or has
 * verified it already. The builders come back open so the caller adds tenant, source, grant.
 */
public final class JwtTokenAdapter {

  private JwtTokenAdapter() {}

  /**
   * A {@code token.issued} event for a root token.
   *
   * @param jwt the compact JWT, never null
   * @throws InvalidEventException when it is not a JWT
   */
  public static TokenEventBuilder issued(String jwt) {
    JWTClaimsSet claims = claims(jwt, "jwt");
    String tokenId = tokenId(jwt, claims);
    return common(Events.issued(tokenId), "token.issued", tokenId, claims).subject(claims.getSubject());
  }

  /**
   * A {@code token.exchanged} event for an RFC 8693 exchange: {@code subjectTokenJwt} is the token
   * that was presented ({@code subject_token}), {@code issuedJwt} the one minted from it.
   *
   * @throws InvalidEventException when either is not a JWT
   */
  public static TokenEventBuilder exchanged(String issuedJwt, String subjectTokenJwt) {
    JWTClaimsSet claims = claims(issuedJwt, "issued_token");
    String tokenId = tokenId(issuedJwt, claims);
    String parentId = tokenId(subjectTokenJwt, claims(subjectTokenJwt, "subject_token"));
    return common(Events.exchanged(tokenId, parentId), "token.exchanged", tokenId, claims);
  }

  /** The ledger's id of a token: its {@code jti}, else a hash of the token. */
  public static String tokenId(String jwt) {
    return tokenId(jwt, claims(jwt, "jwt"));
  }

  private static TokenEventBuilder common(TokenEventBuilder builder, String type, String tokenId, JWTClaimsSet claims) {
    List<String> chain = actChain(claims.getClaim("act"));
    String actor = !chain.isEmpty() ? chain.get(0) : firstString(claims, "client_id", "azp", "sub");
    builder.eventId(type + ":" + tokenId)
        .occurredAt(instant(claims.getIssueTime(), Instant.now()))
        .issuer(claims.getIssuer())
        .actor(actor)
        .audience(claims.getAudience() == null || claims.getAudience().isEmpty() ? null : claims.getAudience())
        .scopes(scopes(claims))
        .expiresAt(instant(claims.getExpirationTime(), null));
    if (chain.size() > 1) {
      builder.attribute("act_chain", String.join(" ", chain));
    }
    return builder;
  }

  /** The actors of nested {@code act} claims, outermost (current) first. */
  private static List<String> actChain(Object act) {
    List<String> chain = new ArrayList<>();
    while (act instanceof Map<?, ?> map && chain.size() < 64) {
      if (map.get("sub") instanceof String sub) {
        chain.add(sub);
      }
      act = map.get("act");
    }
    return chain;
  }

  private static List<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String text) {
      return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
    Object scp = scope != null ? scope : claims.getClaim("scp");
    if (scp instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return null;
  }

  private static String firstString(JWTClaimsSet claims, String... names) {
    for (String name : names) {
      if (claims.getClaim(name) instanceof String value) {
        return value;
      }
    }
    return null;
  }

  private static Instant instant(Date date, Instant otherwise) {
    return date == null ? otherwise : date.toInstant();
  }

  private static String tokenId(String jwt, JWTClaimsSet claims) {
    if (claims.getJWTID() != null && !claims.getJWTID().isEmpty()) {
      return claims.getJWTID();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwt.trim().getBytes(StandardCharsets.US_ASCII));
      return "jwt-sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static JWTClaimsSet claims(String jwt, String field) {
    try {
      return JWTParser.parse(jwt.trim()).getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new InvalidEventException(List.of(new Problem(0, field, "not a JWT: " + e.getMessage())));
    }
  }
}

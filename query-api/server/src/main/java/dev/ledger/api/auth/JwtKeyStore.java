package dev.ledger.api.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JWT bearer credentials against a JWKS (CONTRACT.md section 5): the signature (RSA or EC,
 * never {@code none} or HMAC), {@code iss}, {@code aud}, {@code exp}/{@code nbf}, and the claims
 * that say what the caller may do: {@code tenant}, and either {@code permissions} (names separated
 * by spaces or commas, as OAuth's {@code scope}, or a JSON array of names) or a {@code role} naming
 * a preset. When both are present, {@code permissions} is what counts: it is the explicit list. An
 * unknown name refuses the token rather than dropping the name, so a typo cannot silently narrow or
 * widen a credential. The caller's key id is {@code jwt:<sub>}.
 *
 * <p>Thread-safe. Combine with API keys through {@link KeyStore#anyOf}.
 */
public final class JwtKeyStore implements KeyStore {
  /** Claim naming the {@link Role}. */
  public static final String ROLE_CLAIM = "role";

  /** Claim listing {@link Permission}s; wins over {@link #ROLE_CLAIM}. */
  public static final String PERMISSIONS_CLAIM = "permissions";

  /** Claim naming the tenant, or {@code *}. */
  public static final String TENANT_CLAIM = "tenant";

  private static final Logger LOG = LoggerFactory.getLogger(JwtKeyStore.class);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /**
   * @param keys where the verification keys come from, not null
   * @param issuer the required {@code iss}, not null
   * @param audience the required {@code aud} (one of the token's audiences), not null
   */
  public JwtKeyStore(JWKSource<SecurityContext> keys, String issuer, String audience) {
    Objects.requireNonNull(keys, "keys");
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            Objects.requireNonNull(audience, "audience"),
            new JWTClaimsSet.Builder().issuer(Objects.requireNonNull(issuer, "issuer")).build(),
            Set.of("sub", "exp", TENANT_CLAIM)));
  }

  /**
   * A store reading its keys from a JWKS URL, cached and refreshed the way Nimbus' {@link
   * JWKSourceBuilder} does (rate-limited, refreshed ahead of expiry, re-fetched when a token names
   * an unknown key id).
   */
  public static JwtKeyStore fromJwksUrl(URL jwks, String issuer, String audience) {
    return new JwtKeyStore(
        JWKSourceBuilder.create(Objects.requireNonNull(jwks, "jwks")).build(), issuer, audience);
  }

  @Override
  public Optional<Caller> authenticate(String bearerCredential) {
    if (bearerCredential == null || bearerCredential.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    try {
      JWTClaimsSet claims = processor.process(bearerCredential, null);
      String tenant = claims.getStringClaim(TENANT_CLAIM);
      if (!Tenants.isCredentialTenant(tenant)) {
        LOG.debug("JWT of {} refused: invalid tenant claim", claims.getSubject());
        return Optional.empty();
      }
      return Optional.of(
          new Caller(
              "jwt:" + claims.getSubject(),
              permissions(claims),
              tenant,
              claims.getExpirationTime().toInstant()));
    } catch (Exception e) {
      // Bad signature, wrong issuer or audience, expired, unknown role or permission: all mean "not
      // authenticated".
      LOG.debug("JWT refused: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static Set<Permission> permissions(JWTClaimsSet claims) throws ParseException {
    Object listed = claims.getClaim(PERMISSIONS_CLAIM);
    if (listed instanceof List<?> names) {
      return Permission.parseAll(names.stream().map(String::valueOf).toList());
    }
    if (listed != null) {
      return Permission.parseAll(claims.getStringClaim(PERMISSIONS_CLAIM));
    }
    String role = claims.getStringClaim(ROLE_CLAIM);
    if (role == null) {
      throw new IllegalArgumentException("neither a permissions nor a role claim");
    }
    return Role.parse(role).permissions();
  }
}

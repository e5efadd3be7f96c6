package dev.ledger.ingest.adapter;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.schemas.EventType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns Transaction Tokens (draft-ietf-oauth-transaction-tokens: a JWT with {@code typ:
 * txntoken+jwt}) into ledger events, so that a transaction's calls across the workloads of a trust
 * domain are one chain, found by its {@code txn}.
 *
 * <pre>{@code
 * TxnTokenAdapter txn = TxnTokenAdapter.verifying(JWKSet.load(jwksUrl));   // or structureOnly()
 * ledger.send(txn.events(txnToken).tenant("acme").build());               // the first Txn-Token
 * ledger.send(txn.replacing(replacement, TxnTokenAdapter.tokenId(txnToken)).tenant("acme").build());
 * }</pre>
 *
 * <ul>
 *   <li>{@code token_id} = {@code jti} when the token has one, else {@value #ID_PREFIX} + the
 *       lowercase hex SHA-256 of the signed token (its compact form, ASCII): a Txn-Token need not
 *       carry a {@code jti}, and anyone holding the token computes the same id.
 *   <li>A Txn-Token is a {@code token.issued}; a <em>replacement</em> (a Txn-Token the Txn-Token
 *       Service minted in exchange for an earlier one) is a {@code token.exchanged} child of the
 *       token it replaces, so it continues that chain and a revocation of the replaced token
 *       reaches it. The draft names no claim for the replaced token, so the ledger reads its own:
 *       {@value #REPLACES_CLAIM}, the {@code token_id} of the replaced token as defined above. A
 *       token without that claim is a replacement when the reporter says so ({@link #replacing};
 *       the CLI's {@code --replaces} or {@code --replaces-token}).
 *   <li>{@code txn} (the transaction id) and {@code acti} (the actor-chain profile's workflow id)
 *       go into the event's {@code txn} and {@code acti}: every audit record of the chain carries
 *       them, and {@code GET /v1/audit?txn=} finds the transaction's uses in every service.
 *   <li>{@code subject} = {@code sub}, {@code actor} = {@code req_wl} (the requesting workload, top
 *       level or in {@code rctx}), {@code audience} = {@code aud} (the trust domain), {@code
 *       scopes} = {@code scope}, {@code expires_at} = {@code exp}, {@code occurred_at} = {@code
 *       iat}, {@code issuer} = {@code iss}; what the token does not state comes from {@link
 *       RootDefaults} (issuer {@value #ISSUER_PREFIX} + the trust domain).
 *   <li>The token is never kept verbatim (the draft forbids logging it): the event holds the ids,
 *       the claims above and, as the attribute {@value #HASH_ATTRIBUTE}, the hex SHA-256 of the
 *       signed token. {@code tctx} and the rest of {@code rctx} are not reported.
 *   <li>{@link #verifying} checks the signature against a key set (any JWS algorithm but {@code
 *       none}); {@link #structureOnly} reads the claims and says so in {@link
 *       TokenEvents#warnings()}. Both refuse a JWT whose {@code typ} is not {@value #TYP}. Neither
 *       checks expiry: Txn-Tokens live seconds and are reported later.
 * </ul>
 */
public final class TxnTokenAdapter {

  /** The JOSE {@code typ} of a Txn-Token. */
  public static final String TYP = "txntoken+jwt";

  /** Prefix of the id of a Txn-Token without {@code jti}. */
  public static final String ID_PREFIX = "txn-sha256:";

  /** Prefix of the default issuer, before the trust domain. */
  public static final String ISSUER_PREFIX = "txntoken:";

  /** The claim a replacement Txn-Token names the {@code token_id} of the token it replaces in. */
  public static final String REPLACES_CLAIM = "replaces";

  /** The attribute holding the hex SHA-256 of the signed token. */
  public static final String HASH_ATTRIBUTE = "txn_token_sha256";

  private static final Set<JOSEObjectType> TYPES =
      Set.of(new JOSEObjectType(TYP), new JOSEObjectType("application/" + TYP));

  private final DefaultJWTProcessor<SecurityContext> verifier;
  private final RootDefaults defaults;

  private TxnTokenAdapter(DefaultJWTProcessor<SecurityContext> verifier, RootDefaults defaults) {
    this.verifier = verifier;
    this.defaults = defaults;
  }

  /** An adapter that reads the claims only: nothing proves the token is genuine. */
  public static TxnTokenAdapter structureOnly() {
    return new TxnTokenAdapter(null, RootDefaults.NONE);
  }

  /**
   * An adapter that accepts only Txn-Tokens signed by a key of {@code keys} (matched by {@code kid}
   * and algorithm).
   *
   * @param keys the Txn-Token Service's public keys, never null
   */
  public static TxnTokenAdapter verifying(JWKSet keys) {
    Objects.requireNonNull(keys, "keys");
    Set<JWSAlgorithm> algorithms = JwtTokenAdapter.signatureAlgorithms();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPES));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    return new TxnTokenAdapter(processor, RootDefaults.NONE);
  }

  /** This adapter with defaults for what a token does not state (its own values always win). */
  public TxnTokenAdapter defaults(RootDefaults value) {
    return new TxnTokenAdapter(verifier, Objects.requireNonNull(value, "defaults"));
  }

  /** Whether this adapter checks signatures. */
  public boolean verifies() {
    return verifier != null;
  }

  /**
   * The ledger's id of a Txn-Token: its {@code jti}, else {@value #ID_PREFIX} + the hex SHA-256 of
   * the signed token. Reads, never verifies.
   *
   * @throws InvalidEventException when it is not a JWT
   */
  public static String tokenId(String txnToken) {
    String compact = compact(txnToken, "txn_token");
    return tokenId(compact, structureOnly().claims(compact, "txn_token"));
  }

  /**
   * The event of a Txn-Token: a {@code token.issued}, or, when it carries {@value #REPLACES_CLAIM},
   * the {@code token.exchanged} that continues the chain of the token it replaces.
   *
   * @throws InvalidEventException when it is not a Txn-Token or (verifying) its signature does not
   *     check
   */
  public TokenEvents events(String txnToken) {
    return replacing(txnToken, null);
  }

  /**
   * The {@code token.exchanged} of a replacement Txn-Token, a child of the token it replaces.
   *
   * @param replacedTokenId the replaced token's {@code token_id} ({@link #tokenId}); null: the
   *     token's {@value #REPLACES_CLAIM} claim, and without one the token is a root
   * @throws InvalidEventException when it is not a Txn-Token, (verifying) its signature does not
   *     check, or it names another replaced token than {@code replacedTokenId}
   */
  public TokenEvents replacing(String txnToken, String replacedTokenId) {
    String compact = compact(txnToken, "txn_token");
    JWTClaimsSet claims = claims(compact, "txn_token");
    String tokenId = tokenId(compact, claims);
    String claimed = string(claims, REPLACES_CLAIM);
    if (replacedTokenId != null && claimed != null && !claimed.equals(replacedTokenId)) {
      throw problem(
          "txn_token",
          "its " + REPLACES_CLAIM + " claim names " + claimed + ", not " + replacedTokenId);
    }
    String parent = replacedTokenId != null ? replacedTokenId : claimed;
    List<String> warnings = new ArrayList<>();
    if (verifier == null) {
      warnings.add("structure only: no key given, so no signature was checked");
    }
    String txn = string(claims, "txn");
    if (txn == null) {
      warnings.add("the Txn-Token has no txn claim: its audit records carry no transaction id");
    }
    String type = parent == null ? EventType.ISSUED.wireName() : EventType.EXCHANGED.wireName();
    TokenEventBuilder event =
        (parent == null ? Events.issued(tokenId) : Events.exchanged(tokenId, parent))
            .eventId(Digests.eventId(type, tokenId))
            .occurredAt(
                claims.getIssueTime() == null ? Instant.now() : claims.getIssueTime().toInstant())
            .expiresAt(
                claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant())
            .scopes(scopes(claims))
            .txn(txn)
            .acti(string(claims, "acti"))
            .attribute(HASH_ATTRIBUTE, hexSha256(compact));
    List<String> audience =
        claims.getAudience() == null || claims.getAudience().isEmpty()
            ? null
            : claims.getAudience();
    String ownIssuer = ISSUER_PREFIX + (audience == null ? "unknown" : audience.get(0));
    RootDefaults stated =
        new RootDefaults(claims.getIssuer(), claims.getSubject(), requester(claims), audience);
    if (parent == null) {
      defaults.fill(event, stated, ownIssuer, warnings);
    } else {
      // A replacement names the same subject; what an exchange requires, it states or inherits from
      // the defaults.
      String issuer = first(stated.issuer(), defaults.issuer(), ownIssuer);
      String actor =
          first(
              stated.actor(),
              defaults.actor(),
              stated.subject() != null ? stated.subject() : defaults.subject());
      List<String> aud = stated.audience() != null ? stated.audience() : defaults.audience();
      event.issuer(issuer).actor(actor).audience(aud != null ? aud : List.of(issuer));
    }
    return new TokenEvents(List.of(event), warnings);
  }

  /** The requesting workload: {@code req_wl}, at the top level or (draft-07) in {@code rctx}. */
  private static String requester(JWTClaimsSet claims) {
    String top = string(claims, "req_wl");
    if (top != null) {
      return top;
    }
    return claims.getClaim("rctx") instanceof Map<?, ?> rctx
            && rctx.get("req_wl") instanceof String s
            && !s.isBlank()
        ? s
        : null;
  }

  private static List<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String text) {
      return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
    if (scope instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static String tokenId(String compact, JWTClaimsSet claims) {
    String jti = claims.getJWTID();
    return jti != null && !jti.isBlank() ? jti : ID_PREFIX + hexSha256(compact);
  }

  private static String hexSha256(String compact) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(compact.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String compact(String token, String field) {
    return Objects.requireNonNull(token, field).strip();
  }

  private JWTClaimsSet claims(String compact, String field) {
    try {
      if (verifier != null) {
        return verifier.process(compact, null);
      }
      JWT jwt = JWTParser.parse(compact);
      JOSEObjectType typ = jwt.getHeader().getType();
      if (typ == null
          || !TYPES.contains(new JOSEObjectType(typ.getType().toLowerCase(Locale.ROOT)))) {
        throw problem(
            field,
            "not a Txn-Token: its typ is " + (typ == null ? "missing" : typ) + ", not " + TYP);
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (claims == null) {
        throw problem(field, "not a Txn-Token: an encrypted JWT, which the ledger cannot read");
      }
      return claims;
    } catch (InvalidEventException e) {
      throw e;
    } catch (ParseException e) {
      throw problem(field, "not a JWT: " + e.getMessage());
    } catch (BadJOSEException e) {
      String reason =
          e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("type")
              ? "not a Txn-Token (typ must be " + TYP + "): "
              : "signature not verified: ";
      throw problem(field, reason + e.getMessage());
    } catch (JOSEException e) {
      throw problem(field, "signature not verified: " + e.getMessage());
    } catch (RuntimeException e) {
      throw problem(field, "not a JWT: " + e.getMessage());
    }
  }

  private static String string(JWTClaimsSet claims, String name) {
    return claims.getClaim(name) instanceof String value && !value.isBlank() ? value : null;
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null ? b : c;
  }

  private static InvalidEventException problem(String field, String reason) {
    return new InvalidEventException(List.of(new Problem(0, field, reason)));
  }

  @Override
  public String toString() {
    return "TxnTokenAdapter[" + (verifier == null ? "structure only" : "verifying") + "]";
  }
}

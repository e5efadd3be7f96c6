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
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.schemas.EventType;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns JWT access tokens into ledger events, for an authorization server (or a gateway) that
 * reports what it mints: {@link #issued} for an RFC 9068 access token, {@link #exchanged} for an
 * RFC 8693 token exchange.
 *
 * <pre>{@code
 * JwtTokenAdapter jwt = JwtTokenAdapter.verifying(JWKSet.load(jwksUrl));   // or unverified()
 * ledger.send(jwt.issued(accessToken).tenant("acme").build());
 * ledger.send(jwt.exchanged(issuedToken, subjectToken).tenant("acme").build());
 * }</pre>
 *
 * <p>Mapping:
 *
 * <ul>
 *   <li>{@code token_id} is the {@code jti}; a token without one gets {@code jwt-sha256:} + the
 *       base64url SHA-256 of its compact form, so the same token always gets the same id.
 *   <li>{@code event_id} is {@code <type>:<token_id>} (for a token id too long for that, {@code
 *       <type>:sha256:} + its base64url SHA-256), so reporting a token twice (a retry, a replay) is
 *       one event to the ledger.
 *   <li>{@code issuer} = {@code iss}, {@code subject} = {@code sub} (root tokens only), {@code
 *       audience} = {@code aud}, {@code scopes} = {@code scope} split on spaces (or a {@code scp}
 *       array), {@code expires_at} = {@code exp}, {@code occurred_at} = {@code iat} (else now).
 *   <li>{@code actor}: the outermost {@code act.sub} (RFC 8693 section 4.1: the current actor);
 *       without {@code act}, {@code client_id} or {@code azp}, else {@code sub}. The whole nested
 *       chain (current actor first) is kept in the attribute {@code act_chain}, space-separated.
 *   <li>{@code acti} (the OAuth actor-chain profile's workflow id) = {@code acti}, on the
 *       reconstructed hops too.
 * </ul>
 *
 * <p>An exchange whose {@code act} chain names actors between the subject token's holder and the
 * new actor (hops the ledger was never told about) is reported with one extra {@code
 * token.exchanged} per missing hop, parents first, so the ledger's chain has every actor. A missing
 * hop's id is {@link #reconstructedId(String, String)}: a hash of its parent's id and its actor,
 * the same every time the chain is reported. The subject token's {@code may_act} (RFC 8693 section
 * 4.4), when present, is checked against the actor of the subject token's direct child; the result
 * is the attribute {@code may_act} ({@code allowed} or {@code denied}) on that event and, when
 * denied, a {@link TokenEvents#warnings() warning}. A denied exchange is still reported: it
 * happened, and the audit trail must show it.
 *
 * <p>{@link #unverified()} trusts the caller (the server that minted the tokens, or one that has
 * verified them); {@link #verifying(JWKSet)} checks every token's signature against a key set
 * first. Neither checks expiry: a token is often reported after it expired.
 */
public final class JwtTokenAdapter {

  /** Prefix of the id of a hop reconstructed from an {@code act} chain. */
  public static final String RECONSTRUCTED_PREFIX = "act-sha256:";

  private static final int MAX_ACT_DEPTH = 64;
  private static final JwtTokenAdapter UNVERIFIED = new JwtTokenAdapter(null);

  private final DefaultJWTProcessor<SecurityContext> verifier;

  private JwtTokenAdapter(DefaultJWTProcessor<SecurityContext> verifier) {
    this.verifier = verifier;
  }

  /** An adapter that reads tokens without checking their signatures. */
  public static JwtTokenAdapter unverified() {
    return UNVERIFIED;
  }

  /**
   * An adapter that accepts only tokens signed by a key of {@code keys} (matched by {@code kid} and
   * algorithm; any JWS algorithm nimbus supports, never {@code alg: none}), with a {@code typ} of
   * {@code JWT}, {@code at+jwt} (RFC 9068) or none.
   *
   * @param keys the public keys (a JWKS document), never null
   */
  public static JwtTokenAdapter verifying(JWKSet keys) {
    Objects.requireNonNull(keys, "keys");
    Set<JWSAlgorithm> algorithms = signatureAlgorithms();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
    // Expiry and not-before are not this adapter's business: tokens are reported after the fact.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    return new JwtTokenAdapter(processor);
  }

  /** Whether this adapter checks signatures. */
  public boolean verifies() {
    return verifier != null;
  }

  /**
   * A {@code token.issued} event for a root access token (RFC 9068).
   *
   * @param jwt the compact JWT, never null
   * @throws InvalidEventException when it is not a JWT or (verifying) its signature does not check
   */
  public TokenEventBuilder issued(String jwt) {
    JWTClaimsSet claims = claims(jwt, "jwt");
    String tokenId = tokenId(jwt, claims);
    return common(Events.issued(tokenId), EventType.ISSUED.wireName(), tokenId, claims)
        .subject(claims.getSubject());
  }

  /**
   * The events of an RFC 8693 exchange: {@code subjectTokenJwt} is the token that was presented
   * ({@code subject_token}), {@code issuedJwt} the one minted from it. The result ends with the
   * {@code token.exchanged} of the issued token; hops of its {@code act} chain that neither token
   * accounts for come first.
   *
   * @throws InvalidEventException when either is not a JWT or (verifying) a signature does not
   *     check
   */
  public TokenEvents exchanged(String issuedJwt, String subjectTokenJwt) {
    JWTClaimsSet issued = claims(issuedJwt, "issued_token");
    JWTClaimsSet subject = claims(subjectTokenJwt, "subject_token");
    String tokenId = tokenId(issuedJwt, issued);
    String parentId = tokenId(subjectTokenJwt, subject);

    List<Map<?, ?>> chain = actChain(issued.getClaim("act"));
    List<Map<?, ?>> missing = missingHops(chain, holder(subject));
    List<TokenEventBuilder> builders = new ArrayList<>();
    String parent = parentId;
    // missing is outermost first; the hop nearest the subject token is the innermost one.
    for (int i = missing.size() - 1; i >= 0; i--) {
      String actor = (String) missing.get(i).get("sub");
      String id = reconstructedId(parent, actor);
      TokenEventBuilder hop =
          common(Events.exchanged(id, parent), EventType.EXCHANGED.wireName(), id, issued)
              .actor(actor)
              .attributes(Map.of("reconstructed_from", tokenId));
      builders.add(hop);
      parent = id;
    }
    builders.add(
        common(Events.exchanged(tokenId, parent), EventType.EXCHANGED.wireName(), tokenId, issued));

    List<String> warnings = new ArrayList<>();
    Object mayAct = subject.getClaim("may_act");
    if (mayAct != null) {
      Map<String, String> actor =
          missing.isEmpty()
              ? identity(issued, chain.isEmpty() ? null : chain.get(0))
              : identity(issued, missing.get(missing.size() - 1));
      boolean allowed = mayActAllows(mayAct, actor);
      builders.get(0).attribute("may_act", allowed ? "allowed" : "denied");
      if (!allowed) {
        warnings.add(
            "may_act of subject token " + parentId + " does not allow actor " + actor.get("sub"));
      }
    }
    return new TokenEvents(builders, warnings);
  }

  /**
   * The ledger's id of a token: its {@code jti}, else a hash of the token. Reads, never verifies.
   */
  public static String tokenId(String jwt) {
    return tokenId(jwt, UNVERIFIED.claims(jwt, "jwt"));
  }

  /**
   * The id of a hop reconstructed from an {@code act} chain: {@value #RECONSTRUCTED_PREFIX} + the
   * base64url SHA-256 of {@code parentTokenId + "\n" + actor}. Deterministic, so two exchanges that
   * pass through the same unseen hop name the same token.
   */
  public static String reconstructedId(String parentTokenId, String actor) {
    return RECONSTRUCTED_PREFIX + Digests.sha256(parentTokenId + "\n" + actor);
  }

  private static TokenEventBuilder common(
      TokenEventBuilder builder, String type, String tokenId, JWTClaimsSet claims) {
    List<String> chain =
        actChain(claims.getClaim("act")).stream().map(a -> (String) a.get("sub")).toList();
    String actor = !chain.isEmpty() ? chain.get(0) : firstString(claims, "client_id", "azp", "sub");
    builder
        .eventId(Digests.eventId(type, tokenId))
        .occurredAt(instant(claims.getIssueTime(), Instant.now()))
        .issuer(claims.getIssuer())
        .actor(actor)
        .audience(
            claims.getAudience() == null || claims.getAudience().isEmpty()
                ? null
                : claims.getAudience())
        .scopes(scopes(claims))
        .expiresAt(instant(claims.getExpirationTime(), null));
    if (chain.size() > 1) {
      builder.attribute("act_chain", String.join(" ", chain));
    }
    // The actor-chain profile's workflow id: every token of the workflow, and so every audit
    // record, carries it.
    if (claims.getClaim("acti") instanceof String acti && !acti.isBlank()) {
      builder.acti(acti);
    }
    return builder;
  }

  /** The nested {@code act} objects that name a {@code sub}, outermost (current actor) first. */
  private static List<Map<?, ?>> actChain(Object act) {
    List<Map<?, ?>> chain = new ArrayList<>();
    while (act instanceof Map<?, ?> map && chain.size() < MAX_ACT_DEPTH) {
      if (map.get("sub") instanceof String) {
        chain.add(map);
      }
      act = map.get("act");
    }
    return chain;
  }

  /**
   * The prior actors of the issued token's chain that stand between the subject token's holder and
   * the current actor, outermost first. When the holder is not in the chain at all, every prior
   * actor is missing: the authorization server says they acted, and no reported token shows it.
   */
  private static List<Map<?, ?>> missingHops(List<Map<?, ?>> chain, String subjectHolder) {
    if (chain.size() < 2) {
      return List.of();
    }
    List<Map<?, ?>> prior = chain.subList(1, chain.size());
    for (int i = 0; i < prior.size(); i++) {
      if (prior.get(i).get("sub").equals(subjectHolder)) {
        return List.copyOf(prior.subList(0, i));
      }
    }
    return List.copyOf(prior);
  }

  /** Who holds a token: its current actor, else its client, else its subject. */
  private static String holder(JWTClaimsSet claims) {
    List<Map<?, ?>> chain = actChain(claims.getClaim("act"));
    return !chain.isEmpty()
        ? (String) chain.get(0).get("sub")
        : firstString(claims, "client_id", "azp", "sub");
  }

  /**
   * The claims that identify an actor, for {@code may_act}: those of its {@code act} object, with
   * {@code iss} defaulting to the token's issuer; without one (impersonation), the client as {@code
   * sub} and {@code client_id}.
   */
  private static Map<String, String> identity(JWTClaimsSet issued, Map<?, ?> act) {
    Map<String, String> identity = new LinkedHashMap<>();
    if (act != null) {
      act.forEach(
          (k, v) -> {
            if (k instanceof String key && v instanceof String value) {
              identity.put(key, value);
            }
          });
    } else {
      String client = firstString(issued, "client_id", "azp", "sub");
      if (client != null) {
        identity.put("sub", client);
        identity.put("client_id", client);
      }
    }
    if (issued.getIssuer() != null) {
      identity.putIfAbsent("iss", issued.getIssuer());
    }
    return identity;
  }

  /**
   * RFC 8693 section 4.4: every claim of the {@code may_act} object must match the actor. A list of
   * such objects (not in the RFC, but seen in the wild) allows any one of them.
   */
  private static boolean mayActAllows(Object mayAct, Map<String, String> actor) {
    if (mayAct instanceof List<?> options) {
      return options.stream().anyMatch(o -> mayActAllows(o, actor));
    }
    if (!(mayAct instanceof Map<?, ?> claims) || claims.isEmpty()) {
      return false;
    }
    return claims.entrySet().stream()
        .allMatch(e -> e.getValue().equals(actor.get(String.valueOf(e.getKey()))));
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
    return "jwt-sha256:" + Digests.sha256(jwt.trim());
  }

  private JWTClaimsSet claims(String jwt, String field) {
    String compact = Objects.requireNonNull(jwt, field).trim();
    try {
      if (verifier == null) {
        return JWTParser.parse(compact).getJWTClaimsSet();
      }
      return verifier.process(compact, null);
    } catch (ParseException e) {
      throw problem(field, "not a JWT: " + e.getMessage());
    } catch (BadJOSEException | JOSEException e) {
      throw problem(field, "signature not verified: " + e.getMessage());
    } catch (RuntimeException e) {
      throw problem(field, "not a JWT: " + e.getMessage());
    }
  }

  private static InvalidEventException problem(String field, String reason) {
    return new InvalidEventException(List.of(new Problem(0, field, reason)));
  }

  /**
   * Every JWS algorithm nimbus verifies (RSA, EC, EdDSA, HMAC); never {@code alg: none}. Shared
   * with the Txn-Token adapter.
   */
  static Set<JWSAlgorithm> signatureAlgorithms() {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (JWSAlgorithm.Family family :
        List.of(
            JWSAlgorithm.Family.RSA,
            JWSAlgorithm.Family.EC,
            JWSAlgorithm.Family.ED,
            JWSAlgorithm.Family.HMAC_SHA)) {
      algorithms.addAll(family);
    }
    return algorithms;
  }
}

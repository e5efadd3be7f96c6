package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8693 exchanges on ES256 tokens signed here: act chains the ledger has not seen, may_act,
 * signatures.
 */
class JwtExchangeTest {

  private static final Instant IAT = Instant.parse("2026-11-20T09:00:00Z");
  private static final String ISS = "https://auth.acme.example";
  private static ECKey key;
  private static ECKey otherKey;

  @BeforeAll
  static void keys() throws JOSEException {
    key = new ECKeyGenerator(Curve.P_256).keyID("as-1").generate();
    otherKey = new ECKeyGenerator(Curve.P_256).keyID("as-1").generate();
  }

  private static String sign(JWTClaimsSet claims, ECKey with) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(with.getKeyID())
                  .type(new JOSEObjectType("at+jwt"))
                  .build(),
              claims);
      jwt.sign(new ECDSASigner(with));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** Dana's token, held by the travel planner (client_id), optionally with a may_act. */
  private static String subjectToken(Object mayAct) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .jwtID("tok-root")
            .issuer(ISS)
            .subject("user:dana")
            .audience("https://api.flights.example")
            .claim("scope", "flights:search flights:book")
            .claim("client_id", "agent:travel-planner")
            .issueTime(Date.from(IAT))
            .expirationTime(Date.from(IAT.plusSeconds(3600)));
    if (mayAct != null) {
      claims.claim("may_act", mayAct);
    }
    return sign(claims.build(), key);
  }

  /** A token minted for the actors of {@code chain} (current actor first), as nested act claims. */
  private static String issuedToken(String jti, String... chain) {
    Map<String, Object> act = null;
    for (int i = chain.length - 1; i >= 0; i--) {
      act = act == null ? Map.of("sub", chain[i]) : Map.of("sub", chain[i], "act", act);
    }
    return sign(
        new JWTClaimsSet.Builder()
            .jwtID(jti)
            .issuer(ISS)
            .subject("user:dana")
            .audience("https://api.flights.example")
            .claim("scope", "flights:search")
            .claim("act", act)
            .issueTime(Date.from(IAT.plusSeconds(60)))
            .expirationTime(Date.from(IAT.plusSeconds(900)))
            .build(),
        key);
  }

  @Test
  void hopsOfTheActChainThatNoTokenShowsAreReconstructedAsParentLinks() {
    // The planner holds tok-root; the chain says the booker and the pricer acted before the
    // searcher.
    TokenEvents events =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken(
                    "tok-search",
                    "agent:searcher",
                    "agent:pricer",
                    "agent:booker",
                    "agent:travel-planner"),
                subjectToken(null))
            .tenant("acme");
    List<LedgerEvent> built = events.build();

    String booker = JwtTokenAdapter.reconstructedId("tok-root", "agent:booker");
    String pricer = JwtTokenAdapter.reconstructedId(booker, "agent:pricer");
    assertThat(built)
        .extracting(e -> e.getToken().getTokenId())
        .containsExactly(booker, pricer, "tok-search");
    assertThat(built)
        .extracting(e -> e.getToken().getParentTokenId())
        .containsExactly("tok-root", booker, pricer);
    assertThat(built)
        .extracting(e -> e.getToken().getActor())
        .containsExactly("agent:booker", "agent:pricer", "agent:searcher");
    assertThat(built).extracting(LedgerEvent::getType).containsOnly("token.exchanged");
    assertThat(built)
        .extracting(LedgerEvent::getEventId)
        .containsExactly(
            "token.exchanged:" + booker, "token.exchanged:" + pricer, "token.exchanged:tok-search");
    assertThat(built.get(0).getToken().getAttributes())
        .containsEntry("reconstructed_from", "tok-search");
    assertThat(booker).startsWith(JwtTokenAdapter.RECONSTRUCTED_PREFIX).hasSizeLessThan(64);
    // A reconstructed hop has the rights the exchange proves it had: those of the token minted from
    // it.
    assertThat(built.get(1).getToken().getScopes()).containsExactly("flights:search");
    assertThat(built.get(2).getToken().getAttributes())
        .containsEntry(
            "act_chain", "agent:searcher agent:pricer agent:booker agent:travel-planner");
  }

  @Test
  void reconstructedIdsAreTheSameWheneverTheSameUnseenHopIsReported() {
    String subject = subjectToken(null);
    List<LedgerEvent> first =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-a", "agent:searcher", "agent:booker", "agent:travel-planner"),
                subject)
            .build();
    List<LedgerEvent> again =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-b", "agent:checker", "agent:booker", "agent:travel-planner"),
                subject)
            .build();
    assertThat(again.get(0).getEventId()).isEqualTo(first.get(0).getEventId());
    assertThat(again.get(1).getToken().getParentTokenId())
        .isEqualTo(first.get(1).getToken().getParentTokenId());
  }

  @Test
  void whenTheSubjectTokensHolderIsNotInTheChainEveryPriorActorIsAMissingHop() {
    List<LedgerEvent> built =
        JwtTokenAdapter.unverified()
            .exchanged(issuedToken("tok-x", "agent:searcher", "agent:stranger"), subjectToken(null))
            .build();
    assertThat(built)
        .extracting(e -> e.getToken().getActor())
        .containsExactly("agent:stranger", "agent:searcher");
    assertThat(built.get(0).getToken().getParentTokenId()).isEqualTo("tok-root");
  }

  @Test
  void aChainThatTheSubjectTokenExplainsAddsNothing() {
    TokenEvents events =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-x", "agent:searcher", "agent:travel-planner"), subjectToken(null));
    assertThat(events.builders()).hasSize(1);
    assertThat(events.reported().build().getToken().getParentTokenId()).isEqualTo("tok-root");
  }

  @Test
  void mayActThatNamesTheNewActorIsRecordedAsAllowed() {
    LedgerEvent event =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-x", "agent:searcher"),
                subjectToken(Map.of("sub", "agent:searcher", "iss", ISS)))
            .build()
            .get(0);
    assertThat(event.getToken().getAttributes()).containsEntry("may_act", "allowed");
  }

  @Test
  void mayActThatDoesNotNameTheNewActorIsDeniedWithAWarningButStillReported() {
    TokenEvents events =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-x", "agent:searcher"),
                subjectToken(Map.of("sub", "agent:booker")));
    assertThat(events.build().get(0).getToken().getAttributes()).containsEntry("may_act", "denied");
    assertThat(events.warnings()).singleElement().asString().contains("tok-root", "agent:searcher");
  }

  @Test
  void mayActFromAnotherIssuerDoesNotMatch() {
    TokenEvents events =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-x", "agent:searcher"),
                subjectToken(Map.of("sub", "agent:searcher", "iss", "https://elsewhere.example")));
    assertThat(events.build().get(0).getToken().getAttributes()).containsEntry("may_act", "denied");
  }

  @Test
  void mayActIsCheckedAgainstTheSubjectTokensDirectChildNotTheLastActor() {
    // The booker exchanged tok-root (unseen), then the searcher exchanged the booker's token.
    TokenEvents events =
        JwtTokenAdapter.unverified()
            .exchanged(
                issuedToken("tok-x", "agent:searcher", "agent:booker"),
                subjectToken(
                    List.of(Map.of("sub", "agent:nobody"), Map.of("sub", "agent:booker"))));
    List<LedgerEvent> built = events.build();
    assertThat(built.get(0).getToken().getActor()).isEqualTo("agent:booker");
    assertThat(built.get(0).getToken().getAttributes()).containsEntry("may_act", "allowed");
    assertThat(built.get(1).getToken().getAttributes()).doesNotContainKey("may_act");
    assertThat(events.warnings()).isEmpty();
  }

  @Test
  void withoutMayActNothingIsClaimed() {
    LedgerEvent event =
        JwtTokenAdapter.unverified()
            .exchanged(issuedToken("tok-x", "agent:searcher"), subjectToken(null))
            .build()
            .get(0);
    assertThat(event.getToken().getAttributes()).doesNotContainKey("may_act");
  }

  @Test
  void aVerifyingAdapterAcceptsTokensSignedByTheKeySetEvenExpiredOnes() {
    JwtTokenAdapter verifying = JwtTokenAdapter.verifying(new JWKSet(key.toPublicJWK()));
    assertThat(verifying.verifies()).isTrue();
    assertThat(
            verifying.exchanged(issuedToken("tok-x", "agent:searcher"), subjectToken(null)).build())
        .hasSize(1);
    assertThat(verifying.issued(subjectToken(null)).build().getToken().getTokenId())
        .isEqualTo("tok-root");
  }

  @Test
  void aVerifyingAdapterRefusesAnotherKeysSignatureNamingTheToken() {
    JwtTokenAdapter verifying = JwtTokenAdapter.verifying(new JWKSet(otherKey.toPublicJWK()));
    assertThatThrownBy(
            () -> verifying.exchanged(issuedToken("tok-x", "agent:searcher"), subjectToken(null)))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.field()).isEqualTo("issued_token");
                          assertThat(p.reason()).startsWith("signature not verified");
                        }));
  }

  @Test
  void aVerifyingAdapterRefusesUnsignedTokensWhichTheUnverifiedOneReads() {
    String plain =
        new PlainJWT(
                new JWTClaimsSet.Builder()
                    .jwtID("tok-plain")
                    .issuer(ISS)
                    .subject("user:dana")
                    .audience("a")
                    .claim("scope", "s")
                    .build())
            .serialize();
    assertThat(JwtTokenAdapter.unverified().issued(plain).build().getToken().getTokenId())
        .isEqualTo("tok-plain");
    assertThatThrownBy(() -> JwtTokenAdapter.verifying(new JWKSet(key.toPublicJWK())).issued(plain))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.problems()).extracting(Problem::field).containsExactly("jwt"));
  }

  @Test
  void everyProblemOfEveryEventIsReportedWithItsPosition() {
    String noIssuer =
        sign(
            new JWTClaimsSet.Builder()
                .jwtID("tok-x")
                .subject("user:dana")
                .claim("act", Map.of("sub", "agent:searcher", "act", Map.of("sub", "agent:booker")))
                .build(),
            key);
    assertThatThrownBy(
            () -> JwtTokenAdapter.unverified().exchanged(noIssuer, subjectToken(null)).build())
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::index)
                    .contains(0, 1)
                    .doesNotContain(2));
  }

  @Test
  void theNdjsonBodyHasOneLinePerEventParentsFirst() {
    String body =
        JwtTokenAdapter.unverified()
            .exchanged(issuedToken("tok-x", "agent:searcher", "agent:booker"), subjectToken(null))
            .tenant("acme")
            .toNdjson();
    assertThat(body.lines()).hasSize(2);
    assertThat(body.lines().toList().get(1))
        .contains("\"token_id\":\"tok-x\"", "\"tenant\":\"acme\"");
  }

  @Test
  void theActorChainProfilesWorkflowIdIsCarriedOnTheExchangeAndItsReconstructedHops() {
    Map<String, Object> act =
        Map.of(
            "sub",
            "agent:flight-searcher",
            "act",
            Map.of("sub", "agent:booking-assistant", "act", Map.of("sub", "agent:travel-planner")));
    String issued =
        sign(
            new JWTClaimsSet.Builder()
                .jwtID("tok-acti")
                .issuer(ISS)
                .subject("user:dana")
                .audience("https://api.flights.example")
                .claim("scope", "flights:search")
                .claim("act", act)
                .claim("actp", "declared-full")
                .claim("acti", "wf-trip-7")
                .issueTime(Date.from(IAT.plusSeconds(5)))
                .build(),
            key);
    List<LedgerEvent> events =
        JwtTokenAdapter.verifying(new JWKSet(key.toPublicJWK()))
            .exchanged(issued, subjectToken(null))
            .tenant("acme")
            .build();
    assertThat(events)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getToken().getActi()).isEqualTo("wf-trip-7"));
    assertThat(
            JwtTokenAdapter.unverified()
                .exchanged(
                    issuedToken("tok-plain", "agent:flight-searcher", "agent:travel-planner"),
                    subjectToken(null))
                .build()
                .getFirst()
                .getToken()
                .getActi())
        .isNull();
  }
}

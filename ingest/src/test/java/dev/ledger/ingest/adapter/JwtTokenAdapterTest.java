package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
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
import org.junit.jupiter.api.Test;

class JwtTokenAdapterTest {

  private static final JwtTokenAdapter JWT = JwtTokenAdapter.unverified();
  private static final Instant IAT = Instant.parse("2026-11-20T09:00:00Z");
  private static final Instant EXP = Instant.parse("2026-11-20T10:00:00Z");

  private static String signed(JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static JWTClaimsSet.Builder root() {
    return new JWTClaimsSet.Builder()
        .jwtID("tok-root")
        .issuer("https://auth.acme.example")
        .subject("user:dana")
        .audience(List.of("https://api.flights.example", "https://api.hotels.example"))
        .claim("scope", "flights:search flights:book")
        .claim("client_id", "agent:travel-planner")
        .issueTime(Date.from(IAT))
        .expirationTime(Date.from(EXP));
  }

  @Test
  void aRootAccessTokenBecomesTokenIssued() {
    LedgerEvent event =
        JWT.issued(signed(root().build())).tenant("acme").grant("authorization_code").build();
    assertThat(event.getType()).isEqualTo("token.issued");
    assertThat(event.getEventId()).isEqualTo("token.issued:tok-root");
    assertThat(event.getOccurredAt()).isEqualTo(IAT);
    var token = event.getToken();
    assertThat(token.getTokenId()).isEqualTo("tok-root");
    assertThat(token.getIssuer()).isEqualTo("https://auth.acme.example");
    assertThat(token.getSubject()).isEqualTo("user:dana");
    assertThat(token.getActor()).isEqualTo("agent:travel-planner");
    assertThat(token.getAudience())
        .containsExactly("https://api.flights.example", "https://api.hotels.example");
    assertThat(token.getScopes()).containsExactly("flights:search", "flights:book");
    assertThat(token.getExpiresAt()).isEqualTo(EXP);
    assertThat(token.getGrant()).isEqualTo("authorization_code");
  }

  @Test
  void anExchangeNamesTheSubjectTokenAsParentAndTheOutermostActAsActor() {
    String subjectToken = signed(root().build());
    JWTClaimsSet issued =
        new JWTClaimsSet.Builder()
            .jwtID("tok-flights")
            .issuer("https://auth.acme.example")
            .subject("user:dana")
            .audience("https://api.flights.example")
            .claim("scp", List.of("flights:search"))
            .claim(
                "act",
                Map.of(
                    "sub", "agent:flight-searcher", "act", Map.of("sub", "agent:travel-planner")))
            .issueTime(Date.from(IAT.plusSeconds(5)))
            .expirationTime(Date.from(IAT.plusSeconds(1800)))
            .build();
    TokenEvents events = JWT.exchanged(signed(issued), subjectToken).tenant("acme");
    assertThat(events.builders()).hasSize(1);
    assertThat(events.warnings()).isEmpty();
    LedgerEvent event = events.build().get(0);
    assertThat(event.getType()).isEqualTo("token.exchanged");
    var token = event.getToken();
    assertThat(token.getTokenId()).isEqualTo("tok-flights");
    assertThat(token.getParentTokenId()).isEqualTo("tok-root");
    assertThat(token.getActor()).isEqualTo("agent:flight-searcher");
    assertThat(token.getScopes()).containsExactly("flights:search");
    assertThat(token.getAttributes())
        .containsEntry("act_chain", "agent:flight-searcher agent:travel-planner");
    assertThat(token.getSubject()).isNull();
  }

  @Test
  void aTokenWithoutJtiGetsAStableHashId() {
    String jwt = new PlainJWT(root().jwtID(null).build()).serialize();
    String id = JwtTokenAdapter.tokenId(jwt);
    assertThat(id).startsWith("jwt-sha256:").isEqualTo(JwtTokenAdapter.tokenId(jwt));
    assertThat(JWT.issued(jwt).build().getEventId()).isEqualTo("token.issued:" + id);
  }

  @Test
  void missingClaimsAreReportedByTheValidator() {
    String jwt = signed(new JWTClaimsSet.Builder().jwtID("t").issuer("https://auth").build());
    assertThatThrownBy(() -> JWT.issued(jwt).build())
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactly(
                        "token.subject", "token.actor", "token.audience", "token.scopes"));
  }

  @Test
  void somethingThatIsNotAJwtIsAProblem() {
    assertThatThrownBy(() -> JWT.exchanged(signed(root().build()), "opaque-token"))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.field()).isEqualTo("subject_token")));
  }

  @Test
  void aTokenIdTooLongForAnEventIdGetsAHashedEventId() {
    String jti = "x".repeat(200);
    LedgerEvent event = JWT.issued(signed(root().jwtID(jti).build())).build();
    assertThat(event.getToken().getTokenId()).isEqualTo(jti);
    assertThat(event.getEventId()).startsWith("token.issued:sha256:").hasSizeLessThanOrEqualTo(128);
  }
}

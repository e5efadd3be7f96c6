package dev.ledger.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeyStoreTest {
  static RSAKey signing;
  static RSAKey stranger;
  static JwtKeyStore store;

  @BeforeAll
  static void keys() throws Exception {
    signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    store =
        new JwtKeyStore(
            new ImmutableJWKSet<>(new JWKSet(signing.toPublicJWK())),
            "https://as.example",
            "ledger");
  }

  static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("https://as.example")
            .audience("ledger")
            .subject("svc:auditor")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("role", "auditor")
            .claim("tenant", "acme");
    change.accept(claims);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void validTokenGivesItsRoleAndTenant() throws Exception {
    Instant exp = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    assertThat(store.authenticate(token(signing, c -> c.expirationTime(Date.from(exp)))))
        .contains(new Caller("jwt:svc:auditor", Role.auditor, "acme", exp));
    assertThat(
            store.authenticate(
                token(
                    signing,
                    c ->
                        c.claim("role", "admin")
                            .claim("tenant", "*")
                            .expirationTime(Date.from(exp)))))
        .contains(new Caller("jwt:svc:auditor", Role.admin, "*", exp));
  }

  @Test
  void aPermissionsClaimGivesExactlyThosePermissionsAndWinsOverARole() throws Exception {
    Set<Permission> uses = EnumSet.of(Permission.EVENTS_USE, Permission.READ_REVOCATIONS);
    assertThat(
            store.authenticate(
                token(
                    signing,
                    c ->
                        c.claim("role", null).claim("permissions", "events:use read:revocations"))))
        .map(Caller::permissions)
        .contains(uses);
    assertThat(
            store.authenticate(
                token(
                    signing,
                    c ->
                        c.claim("role", null).claim("permissions", "events:use,read:revocations"))))
        .map(Caller::permissions)
        .contains(uses);
    assertThat(
            store.authenticate(
                token(
                    signing,
                    c ->
                        c.claim("role", null)
                            .claim("permissions", List.of("events:use", "read:revocations")))))
        .map(Caller::permissions)
        .contains(uses);
    assertThat(
            store.authenticate(
                token(
                    signing,
                    c ->
                        c.claim("role", "admin")
                            .claim("permissions", "events:use read:revocations"))))
        .as("the explicit list counts")
        .map(Caller::permissions)
        .contains(uses);
    assertThat(store.authenticate(token(signing, c -> c.claim("role", "resource-server"))))
        .map(Caller::permissions)
        .contains(uses);
    assertThat(
            store.authenticate(
                token(signing, c -> c.claim("permissions", "events:use events:teleport"))))
        .as("an unknown name refuses the token")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.claim("permissions", " "))))
        .as("an empty list")
        .isEmpty();
  }

  @Test
  void everyBrokenRuleIsRefused() throws Exception {
    assertThat(store.authenticate(token(stranger, c -> {}))).as("foreign signature").isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.issuer("https://evil.example"))))
        .as("issuer")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.audience("other"))))
        .as("audience")
        .isEmpty();
    assertThat(
            store.authenticate(
                token(signing, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))))))
        .as("expired")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.claim("role", "root"))))
        .as("role")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.claim("role", null))))
        .as("no role")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.claim("tenant", "a/b"))))
        .as("tenant")
        .isEmpty();
    assertThat(store.authenticate(token(signing, c -> c.claim("tenant", null))))
        .as("no tenant")
        .isEmpty();
    assertThat(store.authenticate("not.a.jwt")).isEmpty();
    assertThat(store.authenticate("ldg_abc_def")).isEmpty();
  }

  @Test
  void unsignedAndHmacTokensAreRefused() throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("https://as.example")
            .audience("ledger")
            .subject("x")
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("role", "admin")
            .claim("tenant", "*")
            .build();
    assertThat(store.authenticate(new PlainJWT(claims).serialize())).isEmpty();
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hmac.sign(new MACSigner(new byte[32]));
    assertThat(store.authenticate(hmac.serialize())).isEmpty();
  }

  @Test
  void anyOfAcceptsApiKeysAndJwts(@TempDir Path dir) throws Exception {
    ApiKeyStore apiKeys = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    CreatedKey key = apiKeys.create(Role.producer, "acme", null);
    KeyStore both = KeyStore.anyOf(apiKeys, store);

    assertThat(both.authenticate(key.secret()))
        .map(Caller::permissions)
        .contains(Role.producer.permissions());
    assertThat(both.authenticate(token(signing, c -> {})))
        .map(Caller::permissions)
        .contains(Role.auditor.permissions());
    assertThat(both.authenticate("nothing")).isEmpty();
  }
}

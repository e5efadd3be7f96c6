package dev.ledger.export.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.export.merkle.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotaryKeyTest {

  @TempDir Path dir;

  @Test
  void theKeyIsCreatedOnceKeptPrivateAndPublished() throws IOException {
    NotaryKey created = NotaryKey.loadOrCreate(dir);
    NotaryKey loaded = NotaryKey.loadOrCreate(dir);
    assertThat(loaded.keyId()).isEqualTo(created.keyId());
    assertThat(loaded.publicKey().getEncoded()).isEqualTo(created.publicKey().getEncoded());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(NotaryKey.PRIVATE_FILE))))
        .isEqualTo("rw-------");
    assertThat(PublicKeys.read(dir.resolve(NotaryKey.PUBLIC_PEM_FILE)).getEncoded())
        .isEqualTo(created.publicKey().getEncoded());
    assertThat(PublicKeys.read(dir.resolve(NotaryKey.PUBLIC_JWK_FILE)).getEncoded())
        .isEqualTo(created.publicKey().getEncoded());
    assertThat(
            PublicKeys.parse("{\"keys\":[" + PublicKeys.jwk(created.publicKey()) + "]}")
                .getEncoded())
        .isEqualTo(created.publicKey().getEncoded());
    // A checkpoint signed by the reloaded key verifies with the first key's public half.
    Checkpoint c =
        loaded.sign("acme", 3, Hashes.leaf(new byte[0]), Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(c.verify(created.publicKey())).isTrue();
  }

  @Test
  void keyIdsAreRfc7638Thumbprints() {
    // RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    String jwk =
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    assertThat(PublicKeys.keyId(PublicKeys.parse(jwk)))
        .isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  }

  @Test
  void aCheckpointVerifiesOnlyAsSigned() {
    NotaryKey key = NotaryKey.generate();
    Checkpoint c =
        key.sign("acme", 10, Hashes.leaf(new byte[] {1}), Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(c.verify(key.publicKey())).isTrue();
    assertThat(Checkpoint.fromJson(c.toJson())).isEqualTo(c);
    assertThat(
            new Checkpoint("acme", 11, c.rootHash(), c.timestamp(), c.keyId(), c.signature())
                .verify(key.publicKey()))
        .isFalse();
    assertThat(
            new Checkpoint("other", 10, c.rootHash(), c.timestamp(), c.keyId(), c.signature())
                .verify(key.publicKey()))
        .isFalse();
    assertThat(c.verify(NotaryKey.generate().publicKey())).isFalse();
    assertThat(
            new Checkpoint("acme", 10, c.rootHash(), c.timestamp(), c.keyId(), "zz")
                .verify(key.publicKey()))
        .isFalse();
  }

  @Test
  void badKeysAreRefusedWithAReason() {
    assertThatThrownBy(() -> PublicKeys.parse("hello")).hasMessageContaining("neither a PEM");
    assertThatThrownBy(() -> PublicKeys.parse("{\"kty\":\"EC\"}"))
        .hasMessageContaining("not an Ed25519");
  }
}

package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
  @TempDir Path dir;

  @Test
  void theFirstStartCreatesAPrivate2048BitKeyAndLaterStartsReadIt() throws Exception {
    RSAKey key = SigningKey.loadOrCreate(dir);
    Path file = dir.resolve(SigningKey.FILE);
    assertThat(key.size()).isEqualTo(2048);
    assertThat(key.getKeyID()).isNotBlank();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SigningKey.loadOrCreate(dir)).isEqualTo(key);
    assertThat(SigningKey.publicSet(key).toString())
        .contains(key.getKeyID())
        .doesNotContain("\"d\"");
  }

  @Test
  void aKeyShorterThan2048BitsIsRefused() throws Exception {
    Files.writeString(
        dir.resolve(SigningKey.FILE), new RSAKeyGenerator(1024, true).generate().toJSONString());
    assertThatThrownBy(() -> SigningKey.loadOrCreate(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("2048");
  }
}

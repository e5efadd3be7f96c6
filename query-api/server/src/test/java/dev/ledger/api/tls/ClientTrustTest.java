package dev.ledger.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTrustTest {
  @TempDir Path dir;

  @Test
  void withoutAFileTheDefaultAuthoritiesAloneAreTrusted() throws Exception {
    assertThat(ClientTrust.context(null)).isSameAs(SSLContext.getDefault());
  }

  @Test
  void aFileOfCertificatesGivesAContextOfItsOwn() throws Exception {
    ServerTls.selfSigned(dir, "127.0.0.1");
    SSLContext context = ClientTrust.context(dir.resolve(ServerTls.SELF_SIGNED_CERTIFICATE));
    assertThat(context).isNotSameAs(SSLContext.getDefault());
    assertThat(context.getProtocol()).isEqualTo("TLS");
  }

  @Test
  void aFileWithoutACertificateIsAnErrorNamingIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("trust.pem"), "hello");
    assertThatThrownBy(() -> ClientTrust.context(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trust.pem");
  }
}

package dev.ledger.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir Path dir;

  @Test
  void theSelfSignedCertificateIsCreatedOncePrivatelyAndNamesTheLocalAddresses() throws Exception {
    ServerTls created = ServerTls.selfSigned(dir, "127.0.0.1");

    Path file = dir.resolve(ServerTls.SELF_SIGNED_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve(ServerTls.SELF_SIGNED_CERTIFICATE)))
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(created.certificate().getSubjectAlternativeNames())
        .extracting(n -> n.get(1).toString())
        .contains("localhost", "127.0.0.1");
    created.certificate().checkValidity();

    ServerTls again = ServerTls.selfSigned(dir, "127.0.0.1");
    assertThat(again.certificate()).isEqualTo(created.certificate());
  }

  @Test
  void aPemCertificateAndKeyAreServedAsTheyAre() throws Exception {
    ServerTls source = ServerTls.selfSigned(dir.resolve("source"), "127.0.0.1");
    PrivateKey key =
        (PrivateKey)
            source.keyStore().getKey(source.keyStore().aliases().nextElement(), source.password());
    Path certificate = dir.resolve("server.pem");
    Path keyFile = dir.resolve("server.key");
    Files.writeString(certificate, pem(source.certificate()));
    Files.writeString(keyFile, pem(new JcaPKCS8Generator(key, null)));

    assertThat(ServerTls.load(certificate, keyFile, null).certificate())
        .isEqualTo(source.certificate());
    // Both in one file works too.
    Path both = dir.resolve("both.pem");
    Files.writeString(both, pem(source.certificate()) + pem(new JcaPKCS8Generator(key, null)));
    assertThat(ServerTls.load(both, null, null).certificate()).isEqualTo(source.certificate());
  }

  @Test
  void aSec1EcKeyIsReadToo() throws Exception {
    ServerTls source = ServerTls.selfSigned(dir.resolve("source"), "127.0.0.1");
    PrivateKey key =
        (PrivateKey)
            source.keyStore().getKey(source.keyStore().aliases().nextElement(), source.password());
    // What openssl ecparam -genkey writes: the curve's parameters, then the SEC1 key.
    String sec1 = pem(key);
    assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path certificate = Files.writeString(dir.resolve("server.pem"), pem(source.certificate()));
    Path keyFile =
        Files.writeString(
            dir.resolve("server.key"),
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + sec1);

    ServerTls loaded = ServerTls.load(certificate, keyFile, null);

    assertThat(loaded.certificate()).isEqualTo(source.certificate());
    ECPrivateKey read =
        (ECPrivateKey)
            loaded.keyStore().getKey(loaded.keyStore().aliases().nextElement(), loaded.password());
    assertThat(read.getS()).isEqualTo(((ECPrivateKey) key).getS());
    // Without the parameters block, the certificate's key names the curve.
    Path bare = Files.writeString(dir.resolve("bare.key"), sec1);
    ServerTls fromBare = ServerTls.load(certificate, bare, null);
    assertThat(
            ((ECPrivateKey)
                    fromBare
                        .keyStore()
                        .getKey(fromBare.keyStore().aliases().nextElement(), fromBare.password()))
                .getS())
        .isEqualTo(((ECPrivateKey) key).getS());
  }

  @Test
  void aFileWithoutACertificateIsAnErrorNamingIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("nothing.pem"), "hello");
    assertThatThrownBy(() -> ServerTls.load(empty, null, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nothing.pem");
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    }
    return out.toString();
  }
}

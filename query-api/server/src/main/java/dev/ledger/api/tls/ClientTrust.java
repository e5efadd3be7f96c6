package dev.ledger.api.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the ledger trusts when it calls out over HTTPS (SSF push delivery): the JVM's default
 * certificate authorities, plus the certificates of a PEM file, e.g. a private CA's or a receiver's
 * self-signed one. Host names are still checked against the certificate.
 */
public final class ClientTrust {
  private ClientTrust() {}

  /**
   * @param pem a file of one or more PEM certificates to trust besides the default ones; null for
   *     the default ones alone
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static SSLContext context(Path pem) throws IOException {
    try {
      if (pem == null) {
        return SSLContext.getDefault();
      }
      List<X509Certificate> extra = ServerTls.certificates(pem);
      if (extra.isEmpty()) {
        throw new IOException(pem + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int n = 0;
      for (X509Certificate c : defaultAuthorities()) {
        trust.setCertificateEntry("default-" + n++, c);
      }
      for (X509Certificate c : extra) {
        trust.setCertificateEntry("configured-" + n++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the certificates in " + pem + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] defaultAuthorities() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager m : factory.getTrustManagers()) {
      if (m instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}

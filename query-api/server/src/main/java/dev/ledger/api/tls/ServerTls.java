package dev.ledger.api.tls;

import dev.ledger.schemas.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key and certificate chain the API server presents over HTTPS, as a key store for Jetty's
 * {@code SslContextFactory.Server}.
 *
 * @param keyStore holds one private key entry with its chain
 * @param password the key store's and the key's password
 */
public record ServerTls(KeyStore keyStore, char[] password) {
  /** The self-signed key and certificate (PKCS12, 0600) in the data directory. */
  public static final String SELF_SIGNED_FILE = "tls-self-signed.p12";

  /** Its certificate alone (PEM), for clients to trust. */
  public static final String SELF_SIGNED_CERTIFICATE = "tls-self-signed.pem";

  /**
   * The self-signed file is protected by its 0600 mode, as the other keys in {@code data/} are; a
   * PKCS12 file needs some password.
   */
  private static final char[] SELF_SIGNED_PASSWORD = "ledger-local".toCharArray();

  private static final String ALIAS = "ledger";
  private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(397);

  /**
   * Loads a configured certificate: a PKCS12 file ({@code .p12}, {@code .pfx}) with its password,
   * or a PEM file with the certificate chain (server certificate first) and an unencrypted PEM
   * private key (PKCS#8 {@code BEGIN PRIVATE KEY}, PKCS#1 {@code BEGIN RSA PRIVATE KEY}, or SEC1
   * {@code BEGIN EC PRIVATE KEY}, with or without its {@code EC PARAMETERS} block).
   *
   * @param key the PEM private key file; null for PKCS12 (or a PEM file holding both)
   * @param password the PKCS12 password; ignored for PEM
   * @throws IOException when a file cannot be read or does not hold what it should
   */
  public static ServerTls load(Path certificate, Path key, char[] password) throws IOException {
    String name = certificate.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".p12") || name.endsWith(".pfx")) {
        char[] pw = password == null ? new char[0] : password;
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate)) {
          store.load(in, pw);
        }
        if (!hasKey(store)) {
          throw new IOException(certificate + " holds no private key");
        }
        return new ServerTls(store, pw);
      }
      List<X509Certificate> chain = certificates(certificate);
      if (chain.isEmpty()) {
        throw new IOException(certificate + " holds no PEM certificate");
      }
      PrivateKey privateKey = privateKey(key == null ? certificate : key, chain.getFirst());
      char[] pw = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, privateKey, pw, chain.toArray(Certificate[]::new));
      return new ServerTls(store, pw);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the TLS certificate " + certificate + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the self-signed certificate from {@code dataDir}, or creates it there on the first start
   * (and again once expired): an EC P-256 key and a certificate for {@code localhost}, {@code
   * 127.0.0.1}, {@code ::1} and {@code host}, valid 397 days, written 0600 from the start; its
   * certificate alone goes beside it for clients to trust.
   *
   * @throws IOException when the files cannot be read or written
   */
  public static ServerTls selfSigned(Path dataDir, String host) throws IOException {
    Path file = dataDir.resolve(SELF_SIGNED_FILE);
    if (Files.exists(file)) {
      ServerTls tls = load(file, null, SELF_SIGNED_PASSWORD);
      if (tls.certificate().getNotAfter().toInstant().isAfter(Instant.now())) {
        return tls;
      }
      Files.delete(file);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = certify(pair, host);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          ALIAS, pair.getPrivate(), SELF_SIGNED_PASSWORD, new Certificate[] {certificate});
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, SELF_SIGNED_PASSWORD);
      PrivateFiles.createDirectories(dataDir);
      PrivateFiles.createFile(file);
      Files.write(file, bytes.toByteArray());
      StringWriter pem = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
        writer.writeObject(certificate);
      }
      Files.writeString(dataDir.resolve(SELF_SIGNED_CERTIFICATE), pem.toString());
      return new ServerTls(store, SELF_SIGNED_PASSWORD);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create a self-signed TLS certificate: " + e.getMessage(), e);
    }
  }

  /**
   * @return the server's own certificate (the first of its chain)
   */
  public X509Certificate certificate() {
    try {
      for (String alias : java.util.Collections.list(keyStore.aliases())) {
        if (keyStore.isKeyEntry(alias)) {
          return (X509Certificate) keyStore.getCertificate(alias);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("the TLS key store holds no key");
  }

  private static X509Certificate certify(KeyPair pair, String host)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=ledger self-signed for local use");
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (host != null && !host.isBlank() && !"0.0.0.0".equals(host) && !"::".equals(host)) {
      names.add(host);
    }
    List<GeneralName> alt = new ArrayList<>();
    for (String n : names) {
      alt.add(
          isAddress(n)
              ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
              : new GeneralName(GeneralName.dNSName, n));
    }
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(SELF_SIGNED_VALIDITY)),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  private static boolean isAddress(String n) {
    return n.contains(":") || n.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }

  static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    }
    return chain;
  }

  private static PrivateKey privateKey(Path pem, X509Certificate certificate) throws IOException {
    try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      ASN1ObjectIdentifier curve = null;
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof ASN1ObjectIdentifier named) {
          curve = named; // an EC PARAMETERS block
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo(), curve, certificate));
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(withCurve(info, curve, certificate));
        }
      }
    }
    throw new IOException(pem + " holds no unencrypted PEM private key");
  }

  /**
   * A SEC1 EC key ({@code BEGIN EC PRIVATE KEY}) may leave its curve out: openssl writes it in an
   * {@code EC PARAMETERS} block beside the key, and the certificate's public key names it too. The
   * JDK wants it in the key's algorithm identifier, so it is put there.
   */
  private static PrivateKeyInfo withCurve(
      PrivateKeyInfo info, ASN1ObjectIdentifier curve, X509Certificate certificate)
      throws IOException {
    AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
    ASN1Encodable given = algorithm.getParameters();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
        || (given != null && !(given instanceof ASN1Null))) {
      return info;
    }
    ASN1Encodable parameters =
        curve != null
            ? curve
            : SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded())
                .getAlgorithm()
                .getParameters();
    if (parameters == null) {
      return info;
    }
    return new PrivateKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, parameters),
        info.parsePrivateKey());
  }
}

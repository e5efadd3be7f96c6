package dev.ledger.export.sign;

import dev.ledger.export.merkle.Hashes;
import dev.ledger.schemas.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The notary's Ed25519 key pair, created on first start in a directory and loaded after that:
 * {@code notary-ed25519.key} (PKCS#8 PEM, mode 600), {@code notary-ed25519.pub.pem} and {@code
 * notary-ed25519.jwk.json} (the public key to hand to auditors). Thread-safe.
 */
public final class NotaryKey {

  /** File name of the private key. */
  public static final String PRIVATE_FILE = "notary-ed25519.key";

  /** File name of the public key, PEM. */
  public static final String PUBLIC_PEM_FILE = "notary-ed25519.pub.pem";

  /** File name of the public key, JWK. */
  public static final String PUBLIC_JWK_FILE = "notary-ed25519.jwk.json";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private NotaryKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = PublicKeys.keyId(publicKey);
  }

  /** A fresh key pair kept in memory only (tests, benchmarks). */
  public static NotaryKey generate() {
    KeyPair pair = newPair();
    return new NotaryKey(pair.getPrivate(), pair.getPublic());
  }

  /**
   * Loads the key pair from {@code dir}, creating it (and {@code dir}) on first use. Throws {@link
   * IOException} if the files cannot be read or written, {@link IllegalStateException} if the
   * private key file is not an Ed25519 PKCS#8 PEM.
   */
  public static NotaryKey loadOrCreate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(PRIVATE_FILE);
    NotaryKey key;
    if (Files.exists(privateFile)) {
      key = fromPrivatePem(Files.readString(privateFile, StandardCharsets.US_ASCII));
    } else {
      KeyPair pair = newPair();
      key = new NotaryKey(pair.getPrivate(), pair.getPublic());
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      Path tmp = dir.resolve(PRIVATE_FILE + ".tmp");
      Files.deleteIfExists(tmp);
      PrivateFiles.writeNew(tmp, pem);
      Files.move(tmp, privateFile, StandardCopyOption.ATOMIC_MOVE);
    }
    // The public files are derived, so rewriting them on each start repairs a deleted copy.
    Files.writeString(
        dir.resolve(PUBLIC_PEM_FILE), PublicKeys.pem(key.publicKey), StandardCharsets.US_ASCII);
    Files.writeString(
        dir.resolve(PUBLIC_JWK_FILE),
        PublicKeys.jwk(key.publicKey) + "\n",
        StandardCharsets.US_ASCII);
    return key;
  }

  private static NotaryKey fromPrivatePem(String pem) {
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey privateKey =
          factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
      return new NotaryKey(privateKey, derivePublic(privateKey));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the notary private key is not an Ed25519 PKCS#8 PEM: " + e.getMessage(), e);
    }
  }

  private static PublicKey derivePublic(PrivateKey privateKey) throws GeneralSecurityException {
    // Java has no public API to derive an EdDSA public key; a KeyPairGenerator seeded with the
    // private key's 32-byte seed regenerates the same pair (RFC 8032: the public key is a
    // function of the seed alone).
    byte[] encoded = privateKey.getEncoded();
    byte[] seed = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(255, new FixedSeed(seed));
    KeyPair pair = generator.generateKeyPair();
    if (!java.util.Arrays.equals(pair.getPrivate().getEncoded(), encoded)) {
      throw new GeneralSecurityException("could not re-derive the public key");
    }
    return pair.getPublic();
  }

  private static KeyPair newPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The RFC 7638 thumbprint that checkpoints name. */
  public String keyId() {
    return keyId;
  }

  /**
   * Signs a checkpoint for {@code tenant}'s tree of {@code treeSize} leaves and root {@code root}.
   */
  public Checkpoint sign(String tenant, long treeSize, byte[] root, Instant timestamp) {
    Checkpoint unsigned = new Checkpoint(tenant, treeSize, Hashes.hex(root), timestamp, keyId, "");
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(unsigned.signedBytes());
      return new Checkpoint(
          tenant,
          treeSize,
          unsigned.rootHash(),
          timestamp,
          keyId,
          HexFormat.of().formatHex(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** A SecureRandom that hands out one fixed seed, to regenerate a key pair from its seed. */
  private static final class FixedSeed extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}

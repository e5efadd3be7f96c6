package dev.ledger.api.ssf.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.ledger.schemas.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The transmitter's RS256 key (2048-bit RSA, as the CAEP interoperability profile requires), kept
 * as a private JWK in {@code ssf-signing-key.json}. The file is created 0600 before a byte is
 * written to it, so the private key is never readable by anyone else, not even for a moment.
 */
public final class SigningKey {
  /** The key file's name inside the key directory. */
  public static final String FILE = "ssf-signing-key.json";

  static final int BITS = 2048;

  private SigningKey() {}

  /**
   * Reads the key from {@code dir}, or creates it there on the first start.
   *
   * @throws IOException when the file cannot be read or written, or does not hold an RSA key of at
   *     least 2048 bits
   */
  public static RSAKey loadOrCreate(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      try {
        RSAKey key = RSAKey.parse(Files.readString(file));
        if (!key.isPrivate() || key.size() < BITS) {
          throw new IOException(
              file + " does not hold a private RSA key of at least " + BITS + " bits");
        }
        return key;
      } catch (ParseException e) {
        throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
      }
    }
    RSAKey key;
    try {
      key =
          new RSAKeyGenerator(BITS)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .keyIDFromThumbprint(true)
              .generate();
    } catch (JOSEException e) {
      throw new IOException("cannot create an RSA key: " + e.getMessage(), e);
    }
    PrivateFiles.createDirectories(dir);
    PrivateFiles.writeNew(file, key.toJSONString());
    return key;
  }

  /**
   * @return the public JWK set served at {@code jwks_uri}
   */
  public static JWKSet publicSet(RSAKey key) {
    return new JWKSet(key.toPublicJWK());
  }
}

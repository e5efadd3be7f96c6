package dev.ledger.export.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.merkle.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 public keys in the forms the ledger publishes: PEM (SubjectPublicKeyInfo), JWK (RFC 8037,
 * {@code kty OKP, crv Ed25519}) and the key id, the RFC 7638 JWK thumbprint (base64url SHA-256 of
 * {@code {"crv":"Ed25519","kty":"OKP","x":"..."}}).
 */
public final class PublicKeys {

  /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 raw key bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private PublicKeys() {}

  /** The 32 raw bytes of an Ed25519 public key. */
  public static byte[] raw(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
  }

  /** The Ed25519 public key with these 32 raw bytes. */
  public static PublicKey fromRaw(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** The key id: the RFC 7638 thumbprint of the key's JWK. */
  public static String keyId(PublicKey key) {
    String x = B64URL.encodeToString(raw(key));
    String thumbprintInput = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
    return B64URL.encodeToString(Hashes.sha256(thumbprintInput.getBytes(StandardCharsets.UTF_8)));
  }

  /** The key as a PEM {@code PUBLIC KEY} block. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The key as a one-line JWK with {@code kid}, {@code use} and {@code alg}. */
  public static String jwk(PublicKey key) {
    return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
        + B64URL.encodeToString(raw(key))
        + "\",\"kid\":\""
        + keyId(key)
        + "\",\"use\":\"sig\",\"alg\":\"EdDSA\"}";
  }

  /**
   * Reads a public key from PEM text or JWK JSON (a single key, or a JWK set whose first key is
   * used); throws {@link IllegalArgumentException} saying why when it is neither.
   */
  public static PublicKey parse(String text) {
    String t = text.strip();
    if (t.startsWith("{")) {
      try {
        JsonNode jwk = new ObjectMapper().readTree(t);
        if (jwk.has("keys") && jwk.get("keys").size() > 0) {
          jwk = jwk.get("keys").get(0);
        }
        if (!"OKP".equals(jwk.path("kty").asText())
            || !"Ed25519".equals(jwk.path("crv").asText())) {
          throw new IllegalArgumentException("the JWK is not an Ed25519 (OKP) key");
        }
        return fromRaw(Base64.getUrlDecoder().decode(jwk.path("x").asText()));
      } catch (IOException e) {
        throw new IllegalArgumentException("not valid JWK JSON: " + e.getMessage(), e);
      }
    }
    if (!t.startsWith("-----BEGIN PUBLIC KEY-----") || !t.endsWith("-----END PUBLIC KEY-----")) {
      throw new IllegalArgumentException("neither a PEM PUBLIC KEY block nor a JWK");
    }
    String body =
        t.substring(
            "-----BEGIN PUBLIC KEY-----".length(),
            t.length() - "-----END PUBLIC KEY-----".length());
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not base64: " + e.getMessage(), e);
    }
    if (der.length != SPKI_PREFIX.length + 32) {
      throw new IllegalArgumentException("the PEM key is not an Ed25519 public key");
    }
    return fromRaw(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
  }

  /** {@link #parse(String)} on a file's contents. */
  public static PublicKey read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }
}

package dev.ledger.export.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.format.CanonicalJson;
import dev.ledger.export.merkle.Hashes;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed statement "the log of {@code tenant} had {@code treeSize} leaves with root {@code
 * rootHash} at {@code timestamp}". The signature is Ed25519 over {@link #signedBytes()}, the
 * canonical JSON of every field but {@code signature}.
 *
 * @param tenant never null
 * @param treeSize number of leaves, at least 0
 * @param rootHash lower-case hex RFC 9162 root, never null
 * @param timestamp when it was signed, never null
 * @param keyId the signing key's RFC 7638 thumbprint, never null
 * @param signature lower-case hex Ed25519 signature, never null
 */
public record Checkpoint(
    String tenant,
    long treeSize,
    String rootHash,
    Instant timestamp,
    String keyId,
    String signature) {

  /** The value of the {@code format} member, part of what is signed. */
  public static final String FORMAT = "ledger-checkpoint/1";

  public Checkpoint {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree_size must not be negative");
    }
  }

  /** The bytes the signature covers. */
  public byte[] signedBytes() {
    return CanonicalJson.bytes(body());
  }

  /** True when {@code key} made {@link #signature()} over {@link #signedBytes()}. */
  public boolean verify(PublicKey key) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signedBytes());
      return verifier.verify(HexFormat.of().parseHex(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The root as bytes. */
  public byte[] root() {
    return Hashes.unhex(rootHash);
  }

  /** The JSON form used in files and exports. */
  public ObjectNode toJson() {
    ObjectNode o = body();
    o.put("signature", signature);
    return o;
  }

  private ObjectNode body() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("format", FORMAT);
    o.put("tenant", tenant);
    o.put("tree_size", treeSize);
    o.put("root_hash", rootHash);
    o.put("timestamp", timestamp.toString());
    o.put("key_id", keyId);
    return o;
  }

  /**
   * Reads the JSON form; throws {@link IllegalArgumentException} naming the first bad member (a
   * checkpoint is small enough that one reason is all a user needs).
   */
  public static Checkpoint fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a checkpoint is a JSON object");
    }
    if (!FORMAT.equals(json.path("format").asText())) {
      throw new IllegalArgumentException("checkpoint format is not " + FORMAT);
    }
    JsonNode size = json.get("tree_size");
    if (size == null || !size.canConvertToExactIntegral()) {
      throw new IllegalArgumentException("checkpoint tree_size is not an integer");
    }
    try {
      Hashes.unhex(json.path("root_hash").asText());
      return new Checkpoint(
          text(json, "tenant"),
          size.longValue(),
          text(json, "root_hash"),
          Instant.parse(text(json, "timestamp")),
          text(json, "key_id"),
          text(json, "signature"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "checkpoint timestamp is not RFC 3339: " + e.getParsedString(), e);
    }
  }

  private static String text(JsonNode json, String name) {
    JsonNode v = json.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("checkpoint " + name + " is missing or not a string");
    }
    return v.textValue();
  }
}

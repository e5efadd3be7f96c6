package dev.ledger.ingest.adapter.internal;

import biscuit.format.schema.Schema;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.ledger.ingest.adapter.BiscuitRefusal;
import io.vavr.control.Either;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.crypto.PublicKey;
import org.biscuitsec.biscuit.token.format.SerializedBiscuit;
import org.biscuitsec.biscuit.token.format.SignedBlock;

/**
 * Names the reason a Biscuit cannot be read, where biscuit-java only says "invalid signature".
 * {@link #beforeVerifying} looks at the protobuf for what the library cannot handle at all (other
 * key algorithms, other format versions); {@link #afterFailure} replays the signature chain block
 * by block to say which link broke: the authority under the root key (wrong root key), block i
 * under the key block i-1 hands on (a block signed by another key of the same token was reordered
 * or spliced in; one that no key of the token verifies is altered or comes from elsewhere), or the
 * proof.
 */
public final class BiscuitVerification {

  /**
   * The protobuf tag of {@code PublicKey.algorithm}, kept among unknown fields when its value is
   * new to the library.
   */
  private static final int ALGORITHM_FIELD = 1;

  /**
   * biscuit-java 4.0.1 checks one block's signature in a package-private method; the chain replay
   * uses it so the message format stays the library's.
   */
  private static final Method VERIFY_BLOCK = verifyBlockMethod();

  private BiscuitVerification() {}

  /** A refusal with what was found. */
  public record Refused(BiscuitRefusal reason, String detail) {
    /** The problem text: the label, a colon, the detail. */
    public String message() {
      return reason.label() + ": " + detail;
    }
  }

  /** Why the token cannot be verified by this library at all, or empty when it may be. */
  public static Optional<Refused> beforeVerifying(byte[] token) {
    Schema.Biscuit proto;
    try {
      proto = Schema.Biscuit.parser().parsePartialFrom(token);
    } catch (InvalidProtocolBufferException e) {
      return Optional.of(
          new Refused(
              BiscuitRefusal.MALFORMED,
              "its bytes are not a serialized Biscuit (" + e.getMessage() + ")"));
    }
    List<Schema.SignedBlock> blocks = new ArrayList<>();
    blocks.add(proto.getAuthority());
    blocks.addAll(proto.getBlocksList());
    for (int i = 0; i < blocks.size(); i++) {
      Schema.SignedBlock block = blocks.get(i);
      Optional<Refused> algorithm = algorithm(block.getNextKey(), "block " + i + "'s next key");
      if (algorithm.isEmpty() && block.hasExternalSignature()) {
        algorithm =
            algorithm(
                block.getExternalSignature().getPublicKey(), "block " + i + "'s third-party key");
      }
      if (algorithm.isPresent()) {
        return algorithm;
      }
    }
    if (!proto.isInitialized() || !proto.hasAuthority()) {
      return Optional.of(
          new Refused(BiscuitRefusal.MALFORMED, "it lacks " + proto.findInitializationErrors()));
    }
    for (int i = 0; i < blocks.size(); i++) {
      Optional<Refused> version = version(blocks.get(i).getBlock().toByteArray(), i);
      if (version.isPresent()) {
        return version;
      }
    }
    return Optional.empty();
  }

  /**
   * The reason {@code SerializedBiscuit.from_bytes} refused a token that {@link #beforeVerifying}
   * let through.
   */
  public static Refused afterFailure(byte[] token, PublicKey root, Throwable failure) {
    SerializedBiscuit serialized;
    try {
      serialized = SerializedBiscuit.unsafe_deserialize(token);
    } catch (Exception e) {
      return new Refused(BiscuitRefusal.MALFORMED, "cannot read it: " + e);
    }
    List<SignedBlock> blocks = new ArrayList<>();
    blocks.add(serialized.authority);
    blocks.addAll(serialized.blocks);
    if (!verifies(blocks.get(0), root)) {
      return new Refused(
          BiscuitRefusal.WRONG_ROOT_KEY,
          "its authority block is not signed by "
              + root
              + " (another root key minted it, or that block was altered)");
    }
    for (int i = 1; i < blocks.size(); i++) {
      if (verifies(blocks.get(i), blocks.get(i - 1).key)) {
        continue;
      }
      for (int j = 0; j < blocks.size(); j++) {
        if (j != i - 1 && verifies(blocks.get(i), blocks.get(j).key)) {
          return new Refused(
              BiscuitRefusal.REORDERED_OR_FOREIGN_BLOCKS,
              "block " + i + " was appended after block " + j + ", not after block " + (i - 1));
        }
      }
      return new Refused(
          BiscuitRefusal.BAD_SIGNATURE,
          "block "
              + i
              + " does not verify with the key block "
              + (i - 1)
              + " hands on (it was altered, or comes from an unrelated token)");
    }
    if (!proofMatches(serialized, blocks.get(blocks.size() - 1).key)) {
      return new Refused(
          BiscuitRefusal.BAD_SIGNATURE,
          "its proof does not match its last block (it was altered or taken from another token)");
    }
    return new Refused(BiscuitRefusal.MALFORMED, "cannot read it: " + failure);
  }

  private static Optional<Refused> algorithm(Schema.PublicKey key, String which) {
    if (key.hasAlgorithm() && key.getAlgorithm() == Schema.PublicKey.Algorithm.Ed25519) {
      return Optional.empty();
    }
    UnknownFieldSet.Field unknown = key.getUnknownFields().getField(ALGORITHM_FIELD);
    if (unknown.getVarintList().isEmpty()) {
      return Optional.empty(); // a missing key is the structure check's to report
    }
    long value = unknown.getVarintList().get(0);
    String name = value == 1 ? "SECP256R1 (P-256)" : "algorithm number " + value;
    return Optional.of(
        new Refused(
            BiscuitRefusal.UNSUPPORTED_ALGORITHM,
            which + " is a " + name + " key; biscuit-java 4.0.1 verifies Ed25519 only"));
  }

  private static Optional<Refused> version(byte[] block, int index) {
    Schema.Block parsed;
    try {
      parsed = Schema.Block.parser().parsePartialFrom(block);
    } catch (InvalidProtocolBufferException e) {
      return Optional.of(
          new Refused(
              BiscuitRefusal.MALFORMED,
              "block " + index + " is not a Biscuit block (" + e.getMessage() + ")"));
    }
    int version = parsed.hasVersion() ? parsed.getVersion() : 0;
    int min = SerializedBiscuit.MIN_SCHEMA_VERSION;
    int max = SerializedBiscuit.MAX_SCHEMA_VERSION;
    if (version < min || version > max) {
      return Optional.of(
          new Refused(
              BiscuitRefusal.UNSUPPORTED_VERSION,
              "block "
                  + index
                  + " has format version "
                  + version
                  + "; biscuit-java 4.0.1 reads versions "
                  + min
                  + " to "
                  + max));
    }
    return Optional.empty();
  }

  private static boolean verifies(SignedBlock block, PublicKey key) {
    if (VERIFY_BLOCK == null) {
      return true; // no replay possible: the caller falls back to the library's own message
    }
    try {
      return ((Either<?, ?>) VERIFY_BLOCK.invoke(null, block, key)).isRight();
    } catch (InvocationTargetException e) {
      return false; // a malformed signature or key is a signature that does not verify
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("verifyBlockSignature was made accessible", e);
    }
  }

  private static boolean proofMatches(SerializedBiscuit serialized, PublicKey last) {
    if (serialized.proof.secretKey.isDefined()) {
      KeyPair next = serialized.proof.secretKey.get();
      return next.public_key().equals(last);
    }
    return false; // a sealed token's proof failed in the library, the only remaining check
  }

  private static Method verifyBlockMethod() {
    try {
      Method method =
          SerializedBiscuit.class.getDeclaredMethod(
              "verifyBlockSignature", SignedBlock.class, PublicKey.class);
      method.setAccessible(true);
      return method;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}

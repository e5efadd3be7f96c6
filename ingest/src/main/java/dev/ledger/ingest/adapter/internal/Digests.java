package dev.ledger.ingest.adapter.internal;

import dev.ledger.schemas.LedgerLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** Stable ids made from content, so reporting the same thing twice gives the same id. */
public final class Digests {

  /**
   * The contract's default limit on {@code event_id}, read from its one home; the adapters' ids fit
   * under it like their caveats do ({@link CaveatBudget}).
   */
  private static final int MAX_EVENT_ID = LedgerLimits.DEFAULTS.maxEventIdLength();

  private Digests() {}

  /** Base64url (no padding) of the SHA-256 of the UTF-8 of {@code text}; never null. */
  public static String sha256(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Base64url (no padding) of the SHA-256 of the fields framed each as a 4-byte big-endian length
   * and its bytes, so no two lists of fields hash alike by moving a boundary; never null.
   */
  public static String sha256(List<byte[]> fields) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] field : fields) {
        digest.update(ByteBuffer.allocate(4).putInt(field.length).array());
        digest.update(field);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The event id of reporting {@code tokenId} as {@code type}: {@code <type>:<token_id>}, or {@code
   * <type>:sha256:<sha256(token_id)>} when that would pass the characters an {@code event_id} may
   * have ({@link LedgerLimits#maxEventIdLength()}, by default 128; a Biscuit revocation id alone is
   * 128 hex digits).
   */
  public static String eventId(String type, String tokenId) {
    String plain = type + ":" + tokenId;
    return plain.length() <= MAX_EVENT_ID ? plain : type + ":sha256:" + sha256(tokenId);
  }
}

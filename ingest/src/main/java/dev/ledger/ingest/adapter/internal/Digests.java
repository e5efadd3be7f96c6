package dev.ledger.ingest.adapter.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Stable ids made from content, so reporting the same thing twice gives the same id. */
public final class Digests {

  private Digests() {}

  /** Base64url (no padding) of the SHA-256 of the UTF-8 of {@code text}; never null. */
  public static String sha256(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

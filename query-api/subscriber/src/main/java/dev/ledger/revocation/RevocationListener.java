package dev.ledger.revocation;

/**
 * Told of every change a {@link RevocationSource} applies, on the source's own thread, after the
 * change is visible to {@link RevocationSource#isRevoked}. Keep it quick (hand heavy work to an
 * executor); an exception it throws is logged and does not stop the source.
 *
 * <p>A listener registered through {@link RevocationSettings.Builder#listener} sees the bootstrap
 * too; one added later sees changes from then on. Use {@link RevocationSource#isCaughtUp()} inside
 * to tell old notices from live ones.
 */
@FunctionalInterface
public interface RevocationListener {

  /** A token is revoked (or its notice was updated); {@code revocation} is never null. */
  void onRevoked(Revocation revocation);

  /** The notice of an expired token was removed (a tombstone); arguments are never null. */
  default void onForgotten(String tenant, String tokenId) {}
}

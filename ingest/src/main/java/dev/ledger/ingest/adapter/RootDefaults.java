package dev.ledger.ingest.adapter;

import dev.ledger.ingest.client.TokenEventBuilder;
import java.util.List;

/**
 * What a token minted outside the ledger (a Biscuit, a Macaroon) is reported with where it does not
 * say ({@link BiscuitAdapter#defaults}, {@link MacaroonAdapter#defaults}; the CLI's {@code
 * --subject}, {@code --actor}, {@code --audience}, {@code --issuer}): the caller's defaults first,
 * then only what the contract forces on a {@code token.issued} (issuer, subject, actor, a non-empty
 * audience). The token's own values always win, and attenuations are left alone (they inherit), so
 * the chain stays the token's.
 *
 * @param issuer null: the adapter's own (which names the root key or location exactly)
 * @param subject null: the issuer, with a warning (whoever holds the root key grants on its own
 *     behalf)
 * @param actor null: the subject
 * @param audience null: the issuer, with a warning
 */
public record RootDefaults(String issuer, String subject, String actor, List<String> audience) {

  /** No defaults given. */
  public static final RootDefaults NONE = new RootDefaults(null, null, null, null);

  /** These values, blank ones as none. */
  public RootDefaults {
    issuer = blankToNull(issuer);
    subject = blankToNull(subject);
    actor = blankToNull(actor);
    audience = audience == null || audience.isEmpty() ? null : List.copyOf(audience);
  }

  /** These defaults with another issuer (blank: none). */
  public RootDefaults withIssuer(String value) {
    return new RootDefaults(value, subject, actor, audience);
  }

  /** These defaults with another subject (blank: none). */
  public RootDefaults withSubject(String value) {
    return new RootDefaults(issuer, value, actor, audience);
  }

  /** These defaults with another actor (blank: none). */
  public RootDefaults withActor(String value) {
    return new RootDefaults(issuer, subject, value, audience);
  }

  /** These defaults with another audience (null or empty: none). */
  public RootDefaults withAudience(List<String> value) {
    return new RootDefaults(issuer, subject, actor, value);
  }

  /**
   * Sets issuer, subject, actor and audience of a root token's event.
   *
   * @param stated what the token itself says (its fields null where it says nothing)
   * @param ownIssuer the adapter's issuer when neither the token nor the caller names one
   * @param warnings gets one line per value that had to be made up
   */
  void fill(TokenEventBuilder root, RootDefaults stated, String ownIssuer, List<String> warnings) {
    String rootIssuer = first(stated.issuer(), issuer, ownIssuer);
    String rootSubject = first(stated.subject(), subject, null);
    if (rootSubject == null) {
      rootSubject = rootIssuer;
      warnings.add(
          "the token states no subject: reported with subject "
              + rootIssuer
              + " (give one with --subject)");
    }
    List<String> rootAudience = stated.audience() != null ? stated.audience() : audience;
    if (rootAudience == null) {
      rootAudience = List.of(rootIssuer);
      warnings.add(
          "the token states no audience: reported with audience "
              + rootIssuer
              + " (give one with --audience)");
    }
    root.issuer(rootIssuer)
        .subject(rootSubject)
        .actor(first(stated.actor(), actor, rootSubject))
        .audience(rootAudience);
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null ? b : c;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}

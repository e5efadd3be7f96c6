package dev.ledger.ingest.adapter;

import com.github.nitram509.jmacaroons.Macaroon;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import com.github.nitram509.jmacaroons.MacaroonsVerifier;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.CaveatBudget;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.ingest.adapter.internal.MacaroonCaveat;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.schemas.EventType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a macaroon in libmacaroons' format (V1 or V2, base64url) and the discharge macaroons
 * presented with it into ledger events: the root macaroon is a {@code token.issued}, each caveat a
 * {@code token.attenuated} whose parent is the macaroon before that caveat, and each discharge a
 * {@code token.attenuated} child of the hop whose third-party caveat it discharges (its own caveats
 * further hops below it).
 *
 * <pre>{@code
 * MacaroonAdapter macaroons = MacaroonAdapter.verifying(rootKey)
 *     .defaults(RootDefaults.NONE.withSubject("user:dana"));
 * ledger.send(macaroons.events(serialized, List.of(discharge)).tenant("acme").build());
 * }</pre>
 *
 * <ul>
 *   <li>{@code token_id} of the macaroon with its first k caveats = {@code mac-sha256:} + the
 *       base64url SHA-256 of its location, identifier and those k caveats (each as a 4-byte length
 *       and its bytes; a third-party caveat as its id, verification id and location). Anyone
 *       holding the same macaroon, or one that shares its first caveats, computes the same ids; no
 *       signature goes in (a macaroon's signature is the credential itself, and the ledger never
 *       keeps one). A discharge's ids start from the id of the hop it discharges.
 *   <li>Read from first-party caveats: {@code actor = X} (who holds it from that caveat on) and
 *       {@code time < T} or {@code expires < T} (RFC 3339, or without offset as UTC). Every caveat
 *       is kept as the hop's {@code caveats}. Macaroons carry no list of rights: the root is
 *       reported with no scopes and every hop inherits, so no caveat is mistaken for an escalation.
 *   <li>Issuer, subject, actor and audience of the root: as {@link RootDefaults}; the issuer
 *       defaults to {@code macaroon:} + the location (the identifier when there is none).
 *   <li>With a root key ({@link #verifying}) the signature chain of the macaroon and of every
 *       discharge (bound to it as for a request) is checked with jmacaroons; every first-party
 *       caveat is taken as satisfied (the adapter reports, it does not authorize). Without ({@link
 *       #structureOnly}), only the structure is read, and {@link TokenEvents#warnings()} says so.
 * </ul>
 */
public final class MacaroonAdapter {

  /** Prefix of the default issuer, before the location. */
  public static final String ISSUER_PREFIX = "macaroon:";

  /** Prefix of every id this adapter makes. */
  public static final String ID_PREFIX = "mac-sha256:";

  private final byte[] rootKey;
  private final RootDefaults defaults;

  private MacaroonAdapter(byte[] rootKey, RootDefaults defaults) {
    this.rootKey = rootKey;
    this.defaults = defaults;
  }

  /**
   * An adapter that checks every signature against this root key (as libmacaroons takes it: its
   * bytes).
   */
  public static MacaroonAdapter verifying(byte[] rootKey) {
    return new MacaroonAdapter(
        Objects.requireNonNull(rootKey, "rootKey").clone(), RootDefaults.NONE);
  }

  /**
   * An adapter that checks every signature against this root key, given as text (its UTF-8 bytes).
   */
  public static MacaroonAdapter verifying(String rootKey) {
    return verifying(Objects.requireNonNull(rootKey, "rootKey").getBytes(StandardCharsets.UTF_8));
  }

  /** An adapter that reads the structure only: nothing proves the macaroon is genuine. */
  public static MacaroonAdapter structureOnly() {
    return new MacaroonAdapter(null, RootDefaults.NONE);
  }

  /** Whether signatures are checked. */
  public boolean verifies() {
    return rootKey != null;
  }

  /**
   * This adapter, reporting {@code defaults} where the root macaroon does not state issuer,
   * subject, actor or audience.
   */
  public MacaroonAdapter defaults(RootDefaults defaults) {
    return new MacaroonAdapter(rootKey, Objects.requireNonNull(defaults, "defaults"));
  }

  /**
   * The events of a serialized macaroon and its discharges.
   *
   * @param discharges serialized discharge macaroons, as presented with it (may be empty)
   * @throws InvalidEventException (field {@code macaroon} or {@code discharge[i]}) when one is not
   *     a macaroon, a discharge matches no third-party caveat, or a signature does not verify
   */
  public TokenEvents events(String macaroon, List<String> discharges) {
    Macaroon root = read(macaroon, "macaroon");
    List<Macaroon> read = new ArrayList<>();
    for (int i = 0; i < discharges.size(); i++) {
      read.add(read(discharges.get(i), "discharge[" + i + "]"));
    }
    return events(root, read);
  }

  /** The events of a macaroon and its discharges, as {@link #events(String, List)}. */
  public TokenEvents events(Macaroon macaroon, List<Macaroon> discharges) {
    Objects.requireNonNull(macaroon, "macaroon");
    List<String> warnings = new ArrayList<>();
    if (rootKey == null) {
      warnings.add("structure only: no root key given, so no signature was checked");
    } else {
      verify(macaroon, discharges);
    }
    List<TokenEventBuilder> builders = new ArrayList<>();
    List<MacaroonCaveat> caveats = MacaroonCaveat.of(macaroon.caveatPackets);
    List<String> ids = hopIds(null, macaroon, caveats);

    TokenEventBuilder root =
        Events.issued(ids.get(0))
            .eventId(Digests.eventId(EventType.ISSUED.wireName(), ids.get(0)))
            .scopes(List.of());
    located(root, macaroon);
    String location =
        macaroon.location == null || macaroon.location.isBlank()
            ? macaroon.identifier
            : macaroon.location;
    defaults.fill(root, RootDefaults.NONE, ISSUER_PREFIX + location, warnings);
    builders.add(root);
    addHops(builders, ids, caveats, warnings);

    boolean[] used = new boolean[discharges.size()];
    for (int k = 0; k < caveats.size(); k++) {
      MacaroonCaveat caveat = caveats.get(k);
      if (!caveat.thirdParty()) {
        continue;
      }
      for (int d = 0; d < discharges.size(); d++) {
        Macaroon discharge = discharges.get(d);
        if (!used[d] && discharge.identifier.equals(caveat.text())) {
          used[d] = true;
          List<MacaroonCaveat> own = MacaroonCaveat.of(discharge.caveatPackets);
          List<String> dischargeIds = hopIds(ids.get(k + 1), discharge, own);
          TokenEventBuilder hop =
              Events.attenuated(dischargeIds.get(0), ids.get(k + 1))
                  .eventId(Digests.eventId(EventType.ATTENUATED.wireName(), dischargeIds.get(0)))
                  .attribute("macaroon_discharge", "true");
          located(hop, discharge);
          builders.add(hop);
          addHops(builders, dischargeIds, own, warnings);
        }
      }
    }
    for (int d = 0; d < used.length; d++) {
      if (!used[d]) {
        throw problem("discharge[" + d + "]", "discharges no third-party caveat of the macaroon");
      }
    }
    return new TokenEvents(builders, warnings);
  }

  private static void located(TokenEventBuilder builder, Macaroon macaroon) {
    if (macaroon.location != null && !macaroon.location.isBlank()) {
      builder.attribute("macaroon_location", macaroon.location);
    }
  }

  private static void addHops(
      List<TokenEventBuilder> builders,
      List<String> ids,
      List<MacaroonCaveat> caveats,
      List<String> warnings) {
    for (int k = 0; k < caveats.size(); k++) {
      MacaroonCaveat caveat = caveats.get(k);
      TokenEventBuilder hop =
          Events.attenuated(ids.get(k + 1), ids.get(k))
              .eventId(Digests.eventId(EventType.ATTENUATED.wireName(), ids.get(k + 1)))
              .actor(caveat.actor())
              .expiresAt(caveat.expiresAt());
      CaveatBudget.Fitted fitted = CaveatBudget.fit(List.of(caveat.describe()));
      hop.caveats(fitted.caveats());
      if (fitted.cut()) {
        warnings.add("a caveat is longer than an event may carry: it was cut");
      }
      builders.add(hop);
    }
  }

  /**
   * Ids of the macaroon with 0, 1, ... all of its caveats; a discharge's start from the hop it
   * discharges.
   */
  static List<String> hopIds(
      String dischargedHop, Macaroon macaroon, List<MacaroonCaveat> caveats) {
    List<byte[]> fields = new ArrayList<>();
    if (dischargedHop != null) {
      fields.add(dischargedHop.getBytes(StandardCharsets.UTF_8));
    }
    fields.add(bytes(macaroon.location));
    fields.add(bytes(macaroon.identifier));
    List<String> ids = new ArrayList<>();
    ids.add(ID_PREFIX + Digests.sha256(fields));
    for (MacaroonCaveat caveat : caveats) {
      fields.addAll(caveat.fields());
      ids.add(ID_PREFIX + Digests.sha256(fields));
    }
    return ids;
  }

  private void verify(Macaroon macaroon, List<Macaroon> discharges) {
    MacaroonsVerifier verifier = new MacaroonsVerifier(macaroon).satisfyGeneral(caveat -> true);
    discharges.forEach(verifier::satisfy3rdParty);
    boolean valid;
    try {
      valid = verifier.isValid(rootKey);
    } catch (RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw problem(
          "macaroon",
          "signature not verified with the root key given: another key minted it, it was altered,"
              + " or a third-party caveat has no discharge bound to it");
    }
  }

  private static Macaroon read(String text, String field) {
    String token = Objects.requireNonNull(text, field).strip();
    for (MacaroonsSerializer serializer : List.of(MacaroonsSerializer.V2, MacaroonsSerializer.V1)) {
      try {
        Macaroon macaroon = Macaroon.deserialize(token, serializer);
        if (macaroon.identifier != null && macaroon.signature != null) {
          return macaroon;
        }
      } catch (RuntimeException e) {
        // try the other format
      }
    }
    throw problem(field, "not a macaroon in libmacaroons' V1 or V2 format (base64url)");
  }

  private static byte[] bytes(String text) {
    return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
  }

  private static InvalidEventException problem(String field, String reason) {
    return new InvalidEventException(List.of(new Problem(0, field, reason)));
  }

  @Override
  public String toString() {
    return "MacaroonAdapter[" + (rootKey == null ? "structure only" : "verifying") + "]";
  }
}

package dev.ledger.ingest.adapter.internal;

import com.github.nitram509.jmacaroons.CaveatPacket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One caveat of a macaroon, grouped from its packets ({@code cid}, then {@code vid} and {@code cl}
 * for a third-party caveat), with what the ledger reads from a first-party one by convention:
 * {@code actor = X}, and {@code time < T} or {@code expires < T} (the form of libmacaroons' and
 * jmacaroons' timestamp verifiers).
 *
 * @param id the caveat id ({@code cid}) as bytes
 * @param verificationId the {@code vid} of a third-party caveat; null for a first-party one
 * @param location the {@code cl} of a third-party caveat; null for a first-party one
 */
public record MacaroonCaveat(byte[] id, byte[] verificationId, byte[] location) {

  private static final Pattern ACTOR = Pattern.compile("actor\\s*=\\s*(\\S.*?)\\s*");
  private static final Pattern EXPIRES = Pattern.compile("(?:time|expires)\\s*<=?\\s*(\\S+)\\s*");

  /** The caveats of a macaroon in order. */
  public static List<MacaroonCaveat> of(CaveatPacket[] packets) {
    List<MacaroonCaveat> caveats = new ArrayList<>();
    byte[] id = null;
    byte[] vid = null;
    byte[] cl = null;
    for (CaveatPacket packet : packets == null ? new CaveatPacket[0] : packets) {
      switch (packet.getType()) {
        case cid -> {
          if (id != null) {
            caveats.add(new MacaroonCaveat(id, vid, cl));
          }
          id = packet.getRawValue();
          vid = null;
          cl = null;
        }
        case vid -> vid = packet.getRawValue();
        case cl -> cl = packet.getRawValue();
        default -> {}
      }
    }
    if (id != null) {
      caveats.add(new MacaroonCaveat(id, vid, cl));
    }
    return caveats;
  }

  /** Whether it is a third-party caveat (it has a verification id). */
  public boolean thirdParty() {
    return verificationId != null;
  }

  /** The caveat id as text (a discharge macaroon's identifier equals it). */
  public String text() {
    return new String(id, StandardCharsets.UTF_8);
  }

  /** What the caveat says, for the hop's {@code caveats}. */
  public String describe() {
    if (thirdParty()) {
      return "third-party caveat at "
          + new String(location == null ? new byte[0] : location, StandardCharsets.UTF_8)
          + ": "
          + text();
    }
    return text().isBlank() ? "(an empty caveat)" : text();
  }

  /** The fields that go into the hop's id, in order. */
  public List<byte[]> fields() {
    return thirdParty()
        ? List.of(id, verificationId, location == null ? new byte[0] : location)
        : List.of(id);
  }

  /** The actor a first-party {@code actor = X} caveat names; null otherwise. */
  public String actor() {
    Matcher m = ACTOR.matcher(text());
    return !thirdParty() && m.matches() ? m.group(1) : null;
  }

  /**
   * The time a first-party {@code time < T} caveat ends at; null otherwise or when T is no time.
   */
  public Instant expiresAt() {
    Matcher m = EXPIRES.matcher(text());
    if (thirdParty() || !m.matches()) {
      return null;
    }
    try {
      return Instant.parse(m.group(1));
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}

package dev.ledger.ingest.adapter;

import biscuit.format.schema.Schema;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.BiscuitBlock;
import dev.ledger.ingest.adapter.internal.BiscuitVerification;
import dev.ledger.ingest.adapter.internal.CaveatBudget;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.schemas.EventType;
import io.vavr.Tuple2;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.biscuitsec.biscuit.crypto.PublicKey;
import org.biscuitsec.biscuit.datalog.SymbolTable;
import org.biscuitsec.biscuit.error.Error;
import org.biscuitsec.biscuit.token.Block;
import org.biscuitsec.biscuit.token.format.SerializedBiscuit;
import org.biscuitsec.biscuit.token.format.SignedBlock;

/**
 * Turns a Biscuit token (its signatures checked against the root public key) into ledger events:
 * the authority block is a {@code token.issued}, each further block a {@code token.attenuated}
 * whose parent is the block before it.
 *
 * <pre>{@code
 * BiscuitAdapter biscuits = BiscuitAdapter.verifying("ed25519/2f1a...");
 * ledger.send(biscuits.events(tokenBase64url).tenant("acme").build());
 * }</pre>
 *
 * <ul>
 *   <li>{@code token_id} of block i = its revocation id in lowercase hex (the one Biscuit's {@code
 *       revocation_identifiers()} lists). Biscuit revokes a token when any of its blocks' ids is
 *       revoked; the ledger revokes a token and everything derived from it; with block i's parent
 *       being block i-1, both mean the same thing: revoking block i's id in the ledger revokes
 *       every token that carries block i.
 *   <li>{@code event_id} = {@code <type>:sha256:} + the base64url SHA-256 of the token id (the id
 *       itself is too long for an event id): reporting the same token (or a token that shares its
 *       first blocks) again adds nothing. {@code occurred_at} is now (a block has no time); set it
 *       on the builders when you know better.
 *   <li>Subject, actor, issuer, scopes, audience and expiry are read from the datalog by the
 *       conventions of {@link BiscuitBlock}; what a block does not state, an attenuation inherits.
 *   <li>What the authority block does not state and the contract requires of a {@code token.issued}
 *       takes a default, given with {@link #defaults} (the CLI's {@code --subject} ...), else:
 *       issuer {@code biscuit:} + the root key ({@code biscuit:ed25519/<hex>}), subject the issuer
 *       (the root key's holder grants on its own behalf), actor the subject, audience the issuer.
 *       Each such default is named in {@link TokenEvents#warnings()}. Nothing else is filled in:
 *       attenuations inherit, so the chain and its rights stay exactly the token's.
 *   <li>{@code caveats} = the block's datalog as Biscuit prints it, one statement per item, cut to
 *       the contract's limits when a block says more (with a warning). A third-party block carries
 *       its signer's key in the attribute {@code biscuit_external_key}.
 *   <li>A token that does not verify is refused with a {@link BiscuitRefusal}: the problem's reason
 *       starts with its label (wrong root key, bad signature, reordered or foreign blocks,
 *       unsupported version or algorithm, not a Biscuit) and says which block.
 * </ul>
 *
 * <p>No authorizer runs here: the adapter reports what the token says, not whether a request would
 * be allowed.
 */
public final class BiscuitAdapter {

  /** Prefix of the default issuer, before the root key. */
  public static final String ISSUER_PREFIX = "biscuit:";

  private final PublicKey rootKey;
  private final RootDefaults defaults;

  private BiscuitAdapter(PublicKey rootKey, RootDefaults defaults) {
    this.rootKey = rootKey;
    this.defaults = defaults;
  }

  /**
   * An adapter for tokens signed by this root key.
   *
   * @param rootKey never null
   */
  public static BiscuitAdapter verifying(PublicKey rootKey) {
    return new BiscuitAdapter(Objects.requireNonNull(rootKey, "rootKey"), RootDefaults.NONE);
  }

  /**
   * An adapter for tokens signed by this Ed25519 root key, as Biscuit prints it ({@code
   * ed25519/<hex>}) or bare hex.
   *
   * @throws IllegalArgumentException when it is not a key, or a key of another algorithm (named)
   */
  public static BiscuitAdapter verifying(String rootKey) {
    return verifying(parseKey(rootKey));
  }

  /**
   * This adapter, reporting {@code defaults} where the authority block does not state issuer,
   * subject, actor or audience.
   */
  public BiscuitAdapter defaults(RootDefaults defaults) {
    return new BiscuitAdapter(rootKey, Objects.requireNonNull(defaults, "defaults"));
  }

  /** The root key as Biscuit prints it ({@code ed25519/<hex>}). */
  public String rootKey() {
    return rootKey.toString();
  }

  /**
   * The events of a token in base64url or base64 (padded or not, surrounding whitespace ignored).
   *
   * @throws InvalidEventException (field {@code biscuit}) when it is not a Biscuit signed by the
   *     root key
   */
  public TokenEvents events(String base64url) {
    byte[] bytes;
    try {
      String text =
          Objects.requireNonNull(base64url, "base64url")
              .strip()
              .replace('+', '-')
              .replace('/', '_');
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw refused(
          new BiscuitVerification.Refused(
              BiscuitRefusal.MALFORMED, "not base64url: " + e.getMessage()));
    }
    return events(bytes);
  }

  /**
   * The events of a serialized token.
   *
   * @throws InvalidEventException (field {@code biscuit}, reason starting with a {@link
   *     BiscuitRefusal} label) when it is not a Biscuit signed by the root key
   */
  public TokenEvents events(byte[] token) {
    Objects.requireNonNull(token, "token");
    Optional<BiscuitVerification.Refused> unreadable = BiscuitVerification.beforeVerifying(token);
    if (unreadable.isPresent()) {
      throw refused(unreadable.get());
    }
    SerializedBiscuit serialized;
    SymbolTable symbols = new SymbolTable();
    Tuple2<Block, ArrayList<Block>> blocks;
    try {
      serialized = SerializedBiscuit.from_bytes(token, rootKey);
      blocks = serialized.extractBlocks(symbols);
    } catch (Error | GeneralSecurityException | RuntimeException e) {
      throw refused(BiscuitVerification.afterFailure(token, rootKey, e));
    }
    List<String> ids =
        serialized.revocation_identifiers().stream().map(HexFormat.of()::formatHex).toList();
    List<TokenEventBuilder> builders = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    BiscuitBlock authority = BiscuitBlock.read(blocks._1.printCode(symbols), true);
    TokenEventBuilder root =
        Events.issued(ids.get(0))
            .eventId(Digests.eventId(EventType.ISSUED.wireName(), ids.get(0)))
            .scopes(authority.scopes() != null ? authority.scopes() : List.of())
            .expiresAt(authority.expiresAt());
    defaults.fill(
        root,
        new RootDefaults(
            authority.issuer(), authority.subject(), authority.actor(), authority.audience()),
        ISSUER_PREFIX + rootKey,
        warnings);
    caveats(root, authority, 0, warnings);
    if (authority.scopes() == null) {
      warnings.add("the authority block states no right(\"...\") facts: reported with no scopes");
    }
    builders.add(root);

    for (int i = 0; i < blocks._2.size(); i++) {
      BiscuitBlock block = BiscuitBlock.read(blocks._2.get(i).printCode(symbols), false);
      String id = ids.get(i + 1);
      TokenEventBuilder hop =
          Events.attenuated(id, ids.get(i))
              .eventId(Digests.eventId(EventType.ATTENUATED.wireName(), id))
              .actor(block.actor())
              .scopes(block.scopes())
              .audience(block.audience())
              .expiresAt(block.expiresAt());
      caveats(hop, block, i + 1, warnings);
      SignedBlock signed = serialized.blocks.get(i);
      if (signed.externalSignature.isDefined()) {
        hop.attribute("biscuit_external_key", signed.externalSignature.get().key.toString());
      }
      builders.add(hop);
    }
    return new TokenEvents(builders, warnings);
  }

  private static void caveats(
      TokenEventBuilder builder, BiscuitBlock block, int index, List<String> warnings) {
    CaveatBudget.Fitted fitted = CaveatBudget.fit(block.statements());
    builder.caveats(fitted.caveats());
    if (fitted.cut()) {
      warnings.add(
          "block " + index + "'s datalog is longer than an event may carry: its caveats were cut");
    }
  }

  private static PublicKey parseKey(String text) {
    String key = Objects.requireNonNull(text, "rootKey").strip();
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String algorithm = key.substring(0, slash);
      if (!algorithm.equalsIgnoreCase("ed25519")) {
        throw new IllegalArgumentException(
            BiscuitRefusal.UNSUPPORTED_ALGORITHM.label()
                + ": a "
                + algorithm
                + " root key; biscuit-java 4.0.1 verifies Ed25519 only");
      }
      key = key.substring(slash + 1);
    }
    try {
      byte[] bytes = HexFormat.of().parseHex(key);
      if (bytes.length != 32) {
        throw new IllegalArgumentException(
            "an Ed25519 public key is 32 bytes, not " + bytes.length);
      }
      return new PublicKey(Schema.PublicKey.Algorithm.Ed25519, bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key (ed25519/<64 hex digits>): " + text, e);
    }
  }

  private static InvalidEventException refused(BiscuitVerification.Refused refused) {
    return new InvalidEventException(List.of(new Problem(0, "biscuit", refused.message())));
  }
}

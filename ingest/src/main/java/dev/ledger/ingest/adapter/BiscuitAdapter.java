package dev.ledger.ingest.adapter;

import biscuit.format.schema.Schema;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.BiscuitBlock;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.ingest.client.Events;
import dev.ledger.ingest.client.TokenEventBuilder;
import io.vavr.Tuple2;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
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
 *   <li>{@code token_id} of block i = its revocation id in lowercase hex (the one Biscuit's
 *       {@code revocation_identifiers()} lists). Biscuit revokes a token when any of its blocks'
 *       ids is revoked; the ledger revokes a token and everything derived from it; with block i's
 *       parent being block i-1, both mean the same thing: revoking block i's id in the ledger
 *       revokes every token that carries block i.</li>
 *   <li>{@code event_id} = {@code <type>:sha256:} + the base64url SHA-256 of the token id (the
 *       id itself is too long for an event id): reporting the same token (or a token that
 *       shares its first blocks) again adds nothing. {@code occurred_at} is now (a block has no
 *       time); set it on the builders when you know better.</li>
 *   <li>Subject, actor, issuer, scopes, audience and expiry are read from the datalog by the
 *       conventions of {@link BiscuitBlock}; what a block does not state, an attenuation inherits.
 *       The issuer defaults to {@code biscuit:} + the root key ({@code biscuit:ed25519/<hex>}),
 *       the actor of the authority block to its subject.</li>
 *   <li>{@code caveats} = the block's datalog as Biscuit prints it, one statement per item.
 *       A third-party block carries its signer's key in the attribute {@code biscuit_external_key}.</li>
 * </ul>
 *
 * <p>No authorizer runs here: the adapter reports what the token says, not whether a request
 * would be allowed.
 */
public final class BiscuitAdapter {

  /** Prefix of the default issuer, before the root key. */
  public static final String ISSUER_PREFIX = "biscuit:";
  private final PublicKey rootKey;

  private BiscuitAdapter(PublicKey rootKey) {
    this.rootKey = rootKey;
  }

  /**
   * An adapter for tokens signed by this root key.
   *
   * @param rootKey never null
   */
  public static BiscuitAdapter verifying(PublicKey rootKey) {
    return new BiscuitAdapter(Objects.requireNonNull(rootKey, "rootKey"));
  }

  /**
   * An adapter for tokens signed by this Ed25519 root key, as Biscuit prints it
   * ({@code ed25519/<hex>}) or bare hex.
   *
   * @throws IllegalArgumentException when it is not a key
   */
  public static BiscuitAdapter verifying(String rootKey) {
    return new BiscuitAdapter(parseKey(rootKey));
  }

  /** The root key as Biscuit prints it ({@code ed25519/<hex>}). */
  public String rootKey() {
    return rootKey.toString();
  }

  /**
   * The events of a token in base64url (padded or not, surrounding whitespace ignored).
   *
   * @throws InvalidEventException (field {@code biscuit}) when it is not a Biscuit signed by the root key
   */
  public TokenEvents events(String base64url) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(Objects.requireNonNull(base64url, "base64url").strip());
    } catch (IllegalArgumentException e) {
      throw problem("not base64url: " + e.getMessage());
    }
    return events(bytes);
  }

  /**
   * The events of a serialized token.
   *
   * @throws InvalidEventException (field {@code biscuit}) when it is not a Biscuit signed by the root key
   */
  public TokenEvents events(byte[] token) {
    SerializedBiscuit serialized;
    SymbolTable symbols = new SymbolTable();
    Tuple2<Block, ArrayList<Block>> blocks;
    try {
      serialized = SerializedBiscuit.from_bytes(Objects.requireNonNull(token, "token"), rootKey);
      blocks = serialized.extractBlocks(symbols);
    } catch (Error | GeneralSecurityException | RuntimeException e) {
      throw problem("not a Biscuit signed by " + rootKey + ": " + e);
    }
    List<String> ids = serialized.revocation_identifiers().stream().map(HexFormat.of()::formatHex).toList();
    List<TokenEventBuilder> builders = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    BiscuitBlock authority = BiscuitBlock.read(blocks._1.printCode(symbols), true);
    String subject = authority.subject();
    TokenEventBuilder root = Events.issued(ids.get(0)).eventId(Digests.eventId("token.issued", ids.get(0)))
        .issuer(authority.issuer() != null ? authority.issuer() : ISSUER_PREFIX + rootKey)
        .subject(subject)
        .actor(authority.actor() != null ? authority.actor() : subject)
        .scopes(authority.scopes() != null ? authority.scopes() : List.of());
    fill(root, authority);
    if (authority.scopes() == null) {
      warnings.add("the authority block states no right(\"...\") facts: reported with no scopes");
    }
    builders.add(root);

    for (int i = 0; i < blocks._2.size(); i++) {
      BiscuitBlock block = BiscuitBlock.read(blocks._2.get(i).printCode(symbols), false);
      String id = ids.get(i + 1);
      TokenEventBuilder hop = Events.attenuated(id, ids.get(i)).eventId(Digests.eventId("token.attenuated", id))
          .actor(block.actor()).scopes(block.scopes());
      fill(hop, block);
      SignedBlock signed = serialized.blocks.get(i);
      if (signed.externalSignature.isDefined()) {
        hop.attribute("biscuit_external_key", signed.externalSignature.get().key.toString());
      }
      builders.add(hop);
    }
    return new TokenEvents(builders, warnings);
  }

  private static void fill(TokenEventBuilder builder, BiscuitBlock block) {
    builder.audience(block.audience()).expiresAt(block.expiresAt())
        .caveats(block.statements().isEmpty() ? null : block.statements());
  }

  private static PublicKey parseKey(String text) {
    String key = Objects.requireNonNull(text, "rootKey").strip();
    // biscuit-java 4.0.1 knows Ed25519 keys only.
    if (key.regionMatches(true, 0, "ed25519/", 0, 8)) {
      key = key.substring(8);
    }
    try {
      byte[] bytes = HexFormat.of().parseHex(key);
      if (bytes.length != 32) {
        throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + bytes.length);
      }
      return new PublicKey(Schema.PublicKey.Algorithm.Ed25519, bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an Ed25519 public key (ed25519/<64 hex digits>): " + text, e);
    }
  }

  private static InvalidEventException problem(String reason) {
    return new InvalidEventException(List.of(new Problem(0, "biscuit", reason)));
  }
}

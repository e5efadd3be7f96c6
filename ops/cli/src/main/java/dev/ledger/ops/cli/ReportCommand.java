package dev.ledger.ops.cli;

import biscuit.format.schema.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.BiscuitAdapter;
import dev.ledger.ingest.adapter.JwtTokenAdapter;
import dev.ledger.ingest.adapter.MacaroonAdapter;
import dev.ledger.ingest.adapter.RootDefaults;
import dev.ledger.ingest.adapter.TokenEvents;
import dev.ledger.ingest.adapter.TxnTokenAdapter;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.ops.client.ApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.builder.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ledger report jwt|exchange|biscuit|macaroon|txn-token|demo-tokens}: turns real tokens into
 * ledger events (through {@code dev.ledger.ingest.adapter}) and posts them to {@code POST
 * /v1/events}.
 *
 * <p>A token argument is the token itself, {@code @FILE} (read from a file) or {@code -} (stdin); a
 * Biscuit may also be binary there or in {@code --file}. {@code --dry-run} prints the NDJSON
 * instead of sending it. The event building is in the public static methods ({@link #jwtEvents},
 * {@link #exchangeEvents}, {@link #biscuitEvents}) so it can be used and tested without a server;
 * {@link #mintDemoTokens} makes the walk-through's signed tokens.
 */
@Command(
    name = "report",
    description =
        "Report real tokens to the ledger: JWT access tokens, RFC 8693 exchanges, Biscuit tokens, macaroons, Transaction Tokens.",
    subcommands = {
      ReportCommand.Jwt.class,
      ReportCommand.Exchange.class,
      ReportCommand.Biscuit.class,
      ReportCommand.Macaroon.class,
      ReportCommand.TxnToken.class,
      ReportCommand.DemoTokensCommand.class
    })
public final class ReportCommand implements Runnable {

  /** The {@code jti} of the demo subject token (Dana's token, held by the travel planner). */
  public static final String DEMO_SUBJECT_ID = "demo-dana-trip";

  /** The {@code jti} of the demo token minted by the exchange (held by the flight searcher). */
  public static final String DEMO_ISSUED_ID = "demo-flight-search";

  /** The transaction id of the demo Txn-Tokens. */
  public static final String DEMO_TXN = "txn-demo-checkout-42";

  private static final String DEMO_ISSUER = "https://auth.demo.example";
  private static final String DEMO_AUDIENCE = "https://api.flights.example";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The {@code token.issued} event of a JWT access token (RFC 9068).
   *
   * @param jwt the compact token, never null
   * @param tenant null for {@code default}
   * @param keys null to read without checking the signature
   * @throws InvalidEventException when it is not a JWT, the signature does not check, or claims are
   *     missing
   */
  public static TokenEvents jwtEvents(String jwt, String tenant, JWKSet keys) {
    return TokenEvents.of(adapter(keys).issued(jwt)).tenant(tenant).source("ledger-cli");
  }

  /**
   * The events of an RFC 8693 exchange: hops of the {@code act} chain the ledger has not seen, then
   * the {@code token.exchanged} of the issued token.
   *
   * @param keys null to read without checking signatures
   */
  public static TokenEvents exchangeEvents(
      String issuedJwt, String subjectJwt, String tenant, JWKSet keys) {
    return adapter(keys).exchanged(issuedJwt, subjectJwt).tenant(tenant).source("ledger-cli");
  }

  /**
   * The events of a Biscuit token: {@code token.issued} for the authority block, one {@code
   * token.attenuated} per further block.
   *
   * @param rootPublicKey {@code ed25519/<hex>} or bare hex
   * @throws IllegalArgumentException when the key is not a key
   */
  public static TokenEvents biscuitEvents(String base64url, String rootPublicKey, String tenant) {
    return biscuitEvents(
        base64url.getBytes(StandardCharsets.US_ASCII),
        BiscuitAdapter.verifying(rootPublicKey),
        tenant);
  }

  /**
   * The events of a Biscuit token as it is stored: the binary serialization, or its base64url or
   * base64 text (told apart by the bytes: a serialized token always has bytes outside the base64
   * alphabet, its signatures alone are 64 random bytes each).
   *
   * @param adapter the root key and the defaults for what the authority block does not state
   */
  public static TokenEvents biscuitEvents(byte[] token, BiscuitAdapter adapter, String tenant) {
    TokenEvents events =
        isBase64Text(token)
            ? adapter.events(new String(token, StandardCharsets.US_ASCII))
            : adapter.events(token);
    return events.tenant(tenant).source("ledger-cli");
  }

  static boolean isBase64Text(byte[] bytes) {
    for (byte b : bytes) {
      boolean base64 =
          (b >= 'A' && b <= 'Z')
              || (b >= 'a' && b <= 'z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '_'
              || b == '+'
              || b == '/'
              || b == '='
              || Character.isWhitespace(b);
      if (!base64) {
        return false;
      }
    }
    return true;
  }

  /** The tokens of the walk-through, written by {@link #mintDemoTokens}. */
  public record DemoTokens(Path subjectToken, Path issuedToken, Path jwks) {}

  /**
   * Mints a signing key (EC P-256) and two signed JWTs into {@code dir}: {@code subject.jwt},
   * Dana's access token held by {@code agent:travel-planner} whose {@code may_act} allows {@code
   * agent:booking-assistant}; {@code issued.jwt}, the token an RFC 8693 exchange minted from it for
   * {@code agent:flight-searcher}, whose {@code act} chain says the booking assistant acted in
   * between (a hop nobody reported); and {@code jwks.json}, the public key.
   */
  public static DemoTokens mintDemoTokens(Path dir, Instant now) throws IOException {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256).keyID("demo-as-" + now.getEpochSecond()).generate();
      Instant iat = now.truncatedTo(ChronoUnit.SECONDS);
      JWTClaimsSet subject =
          new JWTClaimsSet.Builder()
              .jwtID(DEMO_SUBJECT_ID)
              .issuer(DEMO_ISSUER)
              .subject("user:dana")
              .audience(DEMO_AUDIENCE)
              .claim("client_id", "agent:travel-planner")
              .claim("scope", "flights:search flights:book")
              .claim("may_act", Map.of("sub", "agent:booking-assistant"))
              .issueTime(Date.from(iat))
              .expirationTime(Date.from(iat.plus(1, ChronoUnit.HOURS)))
              .build();
      JWTClaimsSet issued =
          new JWTClaimsSet.Builder()
              .jwtID(DEMO_ISSUED_ID)
              .issuer(DEMO_ISSUER)
              .subject("user:dana")
              .audience(DEMO_AUDIENCE)
              .claim("client_id", "agent:flight-searcher")
              .claim("scope", "flights:search")
              .claim(
                  "act",
                  Map.of(
                      "sub",
                      "agent:flight-searcher",
                      "act",
                      Map.of(
                          "sub",
                          "agent:booking-assistant",
                          "act",
                          Map.of("sub", "agent:travel-planner"))))
              .issueTime(Date.from(iat.plusSeconds(5)))
              .expirationTime(Date.from(iat.plus(15, ChronoUnit.MINUTES)))
              .build();
      Files.createDirectories(dir);
      DemoTokens files =
          new DemoTokens(
              dir.resolve("subject.jwt"), dir.resolve("issued.jwt"), dir.resolve("jwks.json"));
      Files.writeString(files.subjectToken(), sign(subject, key) + "\n");
      Files.writeString(files.issuedToken(), sign(issued, key) + "\n");
      Files.writeString(files.jwks(), new JWKSet(key.toPublicJWK()).toString(true) + "\n");
      return files;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with a fresh P-256 key", e);
    }
  }

  /** The walk-through's Biscuit, written by {@link #mintDemoBiscuit}. */
  public record DemoBiscuit(Path token, Path rootKey) {}

  /**
   * Mints a Biscuit as a service outside the ledger would, by none of its conventions, into {@code
   * dir}: {@code files.bc}, binary as Biscuit stores it, whose authority block grants {@code
   * right("file1", "read")} and {@code right("file2", "read")} (no subject, holder or audience),
   * attenuated to reading, then handed to {@code agent:indexer} for {@code file1} only; and {@code
   * biscuit-root.pub}, its root public key as Biscuit prints it.
   */
  public static DemoBiscuit mintDemoBiscuit(Path dir) throws IOException {
    try {
      KeyPair root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
      org.biscuitsec.biscuit.token.Biscuit token =
          org.biscuitsec.biscuit.token.Biscuit.builder(root)
              .add_authority_fact("right(\"file1\", \"read\")")
              .add_authority_fact("right(\"file2\", \"read\")")
              .build()
              .attenuate(new Block().add_check("check if operation(\"read\")"))
              .attenuate(
                  new Block()
                      .add_fact("actor(\"agent:indexer\")")
                      .add_check("check if resource(\"file1\")"));
      Files.createDirectories(dir);
      DemoBiscuit files = new DemoBiscuit(dir.resolve("files.bc"), dir.resolve("biscuit-root.pub"));
      Files.write(files.token(), token.serialize());
      Files.writeString(files.rootKey(), root.public_key() + "\n");
      return files;
    } catch (org.biscuitsec.biscuit.error.Error e) {
      throw new IllegalStateException("cannot mint a Biscuit: " + e, e);
    }
  }

  /** The walk-through's macaroon, written by {@link #mintDemoMacaroon}. */
  public record DemoMacaroon(Path token, Path discharge, Path rootKey) {}

  /**
   * Mints a macaroon as a file service would with libmacaroons' format, into {@code dir}: {@code
   * files.macaroon} (location {@code https://files.example}, caveats {@code op = read}, {@code
   * actor = agent:indexer}, and a third-party caveat for {@code https://auth.example}); {@code
   * discharge.macaroon}, the auth service's discharge, bound to it; and {@code macaroon-root.key},
   * the root key, a random text.
   */
  public static DemoMacaroon mintDemoMacaroon(Path dir) throws IOException {
    SecureRandom random = new SecureRandom();
    String rootKey = HexFormat.of().formatHex(random.generateSeed(32));
    String caveatKey = HexFormat.of().formatHex(random.generateSeed(32));
    // A root macaroon has no caveat: the service mints it, then attenuates it before handing it
    // out.
    var root =
        new MacaroonsBuilder("https://files.example", rootKey, "files-" + caveatKey.substring(0, 8))
            .build();
    var token =
        MacaroonsBuilder.modify(root)
            .add_first_party_caveat("op = read")
            .add_first_party_caveat("actor = agent:indexer")
            .add_third_party_caveat("https://auth.example", caveatKey, "user-is-dana")
            .build();
    var discharge = new MacaroonsBuilder("https://auth.example", caveatKey, "user-is-dana").build();
    var bound = MacaroonsBuilder.modify(token).prepare_for_request(discharge).build();
    Files.createDirectories(dir);
    DemoMacaroon files =
        new DemoMacaroon(
            dir.resolve("files.macaroon"),
            dir.resolve("discharge.macaroon"),
            dir.resolve("macaroon-root.key"));
    Files.writeString(files.token(), token.serialize() + "\n");
    Files.writeString(files.discharge(), bound.serialize() + "\n");
    Files.writeString(files.rootKey(), rootKey + "\n");
    return files;
  }

  /** The walk-through's Transaction Tokens, written by {@link #mintDemoTxnTokens}. */
  public record DemoTxnTokens(Path token, Path replacement, Path secondReplacement, Path jwks) {}

  /**
   * Mints three Transaction Tokens of one transaction as a trust domain's Txn-Token Service would
   * (ES256, {@code typ: txntoken+jwt}, no {@code jti}), into {@code dir}: {@code txn-token.jwt},
   * minted for the API gateway ({@code req_wl}) when Dana's checkout came in, with {@code txn} and
   * the workflow {@code acti}; {@code txn-replacement.jwt}, its replacement for the payments
   * service, narrower scope, naming nothing it replaces (the reporter says which); and {@code
   * txn-replacement-2.jwt}, a replacement of that one for the receipts service that names it in the
   * {@code replaces} claim; and {@code txn-jwks.json}, the service's public key.
   */
  public static DemoTxnTokens mintDemoTxnTokens(Path dir, Instant now, String txn)
      throws IOException {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256).keyID("demo-tts-" + now.getEpochSecond()).generate();
      Instant iat = now.truncatedTo(ChronoUnit.SECONDS);
      Date exp = Date.from(iat.plus(5, ChronoUnit.MINUTES));
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .issuer("https://tts.shop.example")
              .audience("shop.example")
              .subject("user:dana")
              .claim("txn", txn)
              .claim("acti", "wf-checkout")
              .claim("tctx", Map.of("action", "checkout", "amount", "42.00"))
              .claim("rctx", Map.of("req_ip", "198.51.100.7"))
              .expirationTime(exp);
      String first =
          sign(
              claims
                  .claim("req_wl", "svc:api-gateway")
                  .claim("scope", "orders:write payments:charge")
                  .issueTime(Date.from(iat))
                  .build(),
              key,
              TxnTokenAdapter.TYP);
      String replacement =
          sign(
              claims
                  .claim("req_wl", "svc:payments")
                  .claim("scope", "payments:charge")
                  .issueTime(Date.from(iat.plusSeconds(2)))
                  .build(),
              key,
              TxnTokenAdapter.TYP);
      String second =
          sign(
              claims
                  .claim("req_wl", "svc:receipts")
                  .claim(TxnTokenAdapter.REPLACES_CLAIM, TxnTokenAdapter.tokenId(replacement))
                  .issueTime(Date.from(iat.plusSeconds(3)))
                  .build(),
              key,
              TxnTokenAdapter.TYP);
      Files.createDirectories(dir);
      DemoTxnTokens files =
          new DemoTxnTokens(
              dir.resolve("txn-token.jwt"),
              dir.resolve("txn-replacement.jwt"),
              dir.resolve("txn-replacement-2.jwt"),
              dir.resolve("txn-jwks.json"));
      Files.writeString(files.token(), first + "\n");
      Files.writeString(files.replacement(), replacement + "\n");
      Files.writeString(files.secondReplacement(), second + "\n");
      Files.writeString(files.jwks(), new JWKSet(key.toPublicJWK()).toString(true) + "\n");
      return files;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with a fresh P-256 key", e);
    }
  }

  /**
   * The event of a Transaction Token: {@code token.issued}, or for a replacement the {@code
   * token.exchanged} below the token it replaces.
   *
   * @param replaces the replaced token's id; null: the token's own {@code replaces} claim, if any
   */
  public static TokenEvents txnTokenEvents(
      String txnToken, String replaces, TxnTokenAdapter adapter, String tenant) {
    return adapter.replacing(txnToken, replaces).tenant(tenant).source("ledger-cli");
  }

  /**
   * A token argument: {@code @FILE} reads the file, {@code -} stdin, anything else is the token.
   * Picocli's own {@code @file} expansion is off ({@link LedgerCommand#commandLine()}), so the
   * argument arrives whole and only this reads the file.
   */
  public static String readToken(String argument) {
    return new String(readTokenBytes(argument), StandardCharsets.UTF_8).strip();
  }

  /**
   * The bytes of a token argument as {@link #readToken} finds them, unchanged (a binary token stays
   * binary).
   */
  public static byte[] readTokenBytes(String argument) {
    try {
      if (argument.equals("-")) {
        return System.in.readAllBytes();
      }
      if (argument.startsWith("@")) {
        return Files.readAllBytes(Path.of(argument.substring(1)));
      }
    } catch (IOException e) {
      throw new UserException(
          "cannot read "
              + argument.substring(argument.startsWith("@") ? 1 : 0)
              + ": "
              + e.getMessage());
    }
    return argument.strip().getBytes(StandardCharsets.UTF_8);
  }

  private static JwtTokenAdapter adapter(JWKSet keys) {
    return keys == null ? JwtTokenAdapter.unverified() : JwtTokenAdapter.verifying(keys);
  }

  private static String sign(JWTClaimsSet claims, ECKey key) throws JOSEException {
    return sign(claims, key, "at+jwt");
  }

  private static String sign(JWTClaimsSet claims, ECKey key, String typ) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(new JOSEObjectType(typ))
                .build(),
            claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  /** Options and sending shared by the reporting subcommands. */
  abstract static class Send implements Runnable {
    @Mixin ClientOptions client;

    @Spec CommandSpec spec;

    @Option(names = "--dry-run", description = "print the events as NDJSON instead of sending them")
    boolean dryRun;

    /**
     * The events to send; may throw {@link InvalidEventException} or {@link
     * IllegalArgumentException}.
     */
    abstract TokenEvents events();

    @Override
    public final void run() {
      PrintWriter out = spec.commandLine().getOut();
      TokenEvents events;
      String body;
      try {
        events = events();
        body = events.toNdjson();
      } catch (InvalidEventException e) {
        throw new UserException("cannot report this token: " + describe(e.problems()));
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
      events.warnings().forEach(w -> spec.commandLine().getErr().println("ledger: warning: " + w));
      if (dryRun) {
        out.print(body);
        out.flush();
        return;
      }
      JsonNode answer;
      try {
        answer = client.client().postNdjson("/v1/events", body);
      } catch (ApiException e) {
        throw new UserException(e.getMessage(), 2);
      }
      for (TokenEventBuilder b : events.builders()) {
        ObjectNode json = b.toJson();
        JsonNode token = json.path("token");
        out.printf(
            "%-16s %s%s  actor %s%n",
            json.path("type").asText(),
            Render.safe(token.path("token_id").asText()),
            token.has("parent_token_id")
                ? "  parent " + Render.safe(token.path("parent_token_id").asText())
                : "",
            Render.safe(token.path("actor").asText("(inherited)")));
      }
      String last = events.reported().toJson().path("token").path("token_id").asText();
      out.printf(
          "accepted %s; see the chain with: ledger token %s%s%n",
          answer == null ? "" : answer.path("accepted").asText(),
          last,
          client.tenant() == null ? "" : " --tenant " + client.tenant());
      out.flush();
    }

    private static String describe(List<Problem> problems) {
      StringBuilder text = new StringBuilder();
      for (Problem p : problems) {
        text.append(text.isEmpty() ? "" : "; ")
            .append("event ")
            .append(p.index())
            .append(' ')
            .append(p.field() == null ? "" : p.field() + " ")
            .append(p.reason());
      }
      return text.toString();
    }

    static JWKSet jwks(Path file) {
      if (file == null) {
        return null;
      }
      try {
        return JWKSet.load(file.toFile());
      } catch (IOException | ParseException e) {
        throw new UserException("cannot read the key set " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "jwt", description = "Report a JWT access token (RFC 9068) as token.issued.")
  static final class Jwt extends Send {
    @Parameters(
        paramLabel = "TOKEN_OR_@FILE",
        description = "the access token, @FILE or - for stdin")
    String token;

    @Option(
        names = "--jwks",
        paramLabel = "FILE",
        description = "verify the signature against this JWK set")
    Path jwks;

    @Override
    TokenEvents events() {
      return jwtEvents(readToken(token), client.tenant(), jwks(jwks));
    }
  }

  @Command(
      name = "exchange",
      description =
          "Report an RFC 8693 token exchange as token.exchanged, with the act chain's unseen hops.")
  static final class Exchange extends Send {
    @Option(
        names = "--subject-token",
        required = true,
        paramLabel = "TOKEN_OR_@FILE",
        description = "the token that was presented (subject_token)")
    String subjectToken;

    @Option(
        names = "--issued-token",
        required = true,
        paramLabel = "TOKEN_OR_@FILE",
        description = "the token the exchange minted")
    String issuedToken;

    @Option(
        names = "--jwks",
        paramLabel = "FILE",
        description = "verify both signatures against this JWK set")
    Path jwks;

    @Override
    TokenEvents events() {
      return exchangeEvents(
          readToken(issuedToken), readToken(subjectToken), client.tenant(), jwks(jwks));
    }
  }

  @Command(
      name = "biscuit",
      description =
          "Report a Biscuit token: the authority block as token.issued, each block as token.attenuated.")
  static final class Biscuit extends Send {
    @Parameters(
        arity = "0..1",
        paramLabel = "TOKEN_OR_@FILE",
        description =
            "the token in base64url, @FILE (binary or base64url) or - for stdin (binary or base64url)")
    String token;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "read the token from this file, binary or base64url")
    Path file;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "HEX",
        description = "the root public key (ed25519/<hex> or hex) that must have signed it")
    String publicKey;

    @Mixin RootOptions root;

    @Override
    TokenEvents events() {
      if ((token == null) == (file == null)) {
        throw new UserException(
            "give the token once: as an argument (base64url, @FILE or -) or with --file");
      }
      byte[] bytes = file != null ? readTokenBytes("@" + file) : readTokenBytes(token);
      BiscuitAdapter adapter = BiscuitAdapter.verifying(publicKey).defaults(root.defaults());
      return biscuitEvents(bytes, adapter, client.tenant());
    }
  }

  /**
   * What to report for a root token that does not say it (a Biscuit's authority block, a root
   * macaroon).
   */
  static final class RootOptions {
    @Option(
        names = "--subject",
        paramLabel = "SUBJECT",
        description = "the subject when the token states none (default: the issuer)")
    String subject;

    @Option(
        names = "--actor",
        paramLabel = "ACTOR",
        description =
            "the holder of the root token when the token states none (default: the subject)")
    String actor;

    @Option(
        names = "--audience",
        split = ",",
        paramLabel = "AUDIENCE",
        description = "the audience when the token states none (default: the issuer)")
    List<String> audience;

    @Option(
        names = "--issuer",
        paramLabel = "ISSUER",
        description =
            "the issuer when the token states none (default: biscuit:<root key>, macaroon:<location>)")
    String issuer;

    RootDefaults defaults() {
      return new RootDefaults(issuer, subject, actor, audience);
    }
  }

  @Command(
      name = "macaroon",
      description =
          "Report a macaroon (libmacaroons format): the root as token.issued, each caveat and discharge as token.attenuated.")
  static final class Macaroon extends Send {
    @Parameters(
        paramLabel = "TOKEN_OR_@FILE",
        description = "the macaroon in base64url (V1 or V2), @FILE or - for stdin")
    String token;

    @Option(
        names = "--discharge",
        paramLabel = "TOKEN_OR_@FILE",
        description = "a discharge macaroon presented with it, bound to it (repeatable)")
    List<String> discharges = new ArrayList<>();

    @Option(
        names = "--root-key",
        paramLabel = "KEY_OR_@FILE",
        description =
            "the root key (its text, @FILE or - for stdin): verify every signature; without it, only the structure is read")
    String rootKey;

    @Mixin RootOptions root;

    @Override
    TokenEvents events() {
      MacaroonAdapter adapter =
          rootKey == null
              ? MacaroonAdapter.structureOnly()
              : MacaroonAdapter.verifying(readToken(rootKey));
      adapter = adapter.defaults(root.defaults());
      List<String> read = discharges.stream().map(ReportCommand::readToken).toList();
      spec.commandLine()
          .getErr()
          .println(
              adapter.verifies()
                  ? "ledger: verifying every signature with the root key"
                  : "ledger: structure only (no --root-key): no signature is checked");
      return macaroonEvents(readToken(token), read, adapter, client.tenant());
    }
  }

  /**
   * The events of a macaroon and its discharges: {@code token.issued} for the root, one {@code
   * token.attenuated} per caveat, and one per discharge below the caveat it discharges.
   */
  public static TokenEvents macaroonEvents(
      String macaroon, List<String> discharges, MacaroonAdapter adapter, String tenant) {
    return adapter.events(macaroon, discharges).tenant(tenant).source("ledger-cli");
  }

  @Command(
      name = "txn-token",
      description =
          "Report a Transaction Token (typ txntoken+jwt) as token.issued, or a replacement as token.exchanged below the token it replaces.")
  static final class TxnToken extends Send {
    @Parameters(
        arity = "0..1",
        paramLabel = "TOKEN_OR_@FILE",
        description = "the Txn-Token (compact JWT), @FILE or - for stdin")
    String token;

    @Option(names = "--file", paramLabel = "FILE", description = "read the token from this file")
    Path file;

    @Option(
        names = "--jwks",
        paramLabel = "FILE",
        description =
            "verify the signature against this JWK set (or one JWK); without it, only the structure is read")
    Path jwks;

    @Option(
        names = "--replaces",
        paramLabel = "TOKEN_ID",
        description =
            "it is a replacement of the Txn-Token with this ledger token id (its jti or txn-sha256:...)")
    String replaces;

    @Option(
        names = "--replaces-token",
        paramLabel = "TOKEN_OR_@FILE",
        description =
            "it is a replacement of this Txn-Token (the subject_token of the replacement request)")
    String replacesToken;

    @Mixin RootOptions root;

    @Override
    TokenEvents events() {
      if ((token == null) == (file == null)) {
        throw new UserException(
            "give the token once: as an argument (the JWT, @FILE or -) or with --file");
      }
      if (replaces != null && replacesToken != null) {
        throw new UserException(
            "give the replaced token once: --replaces ID or --replaces-token TOKEN");
      }
      String text = readToken(file != null ? "@" + file : token);
      String replaced = replacesToken != null ? replacedId(readToken(replacesToken)) : replaces;
      TxnTokenAdapter adapter =
          (jwks == null ? TxnTokenAdapter.structureOnly() : TxnTokenAdapter.verifying(keys(jwks)))
              .defaults(root.defaults());
      spec.commandLine()
          .getErr()
          .println(
              adapter.verifies()
                  ? "ledger: verifying the signature with the key set " + jwks
                  : "ledger: structure only (no --jwks): no signature is checked");
      return txnTokenEvents(text, replaced, adapter, client.tenant());
    }

    private static String replacedId(String replacedToken) {
      try {
        return TxnTokenAdapter.tokenId(replacedToken);
      } catch (InvalidEventException e) {
        throw new UserException(
            "--replaces-token is not a Txn-Token: " + e.problems().get(0).reason());
      }
    }

    /** A JWK set file, or a file with one JWK. */
    private static JWKSet keys(Path file) {
      try {
        String text = Files.readString(file);
        return text.contains("\"keys\"") ? JWKSet.parse(text) : new JWKSet(JWK.parse(text));
      } catch (IOException | ParseException e) {
        throw new UserException("cannot read the key set " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "demo-tokens",
      description =
          "Mint a signed RFC 8693 exchange (two JWTs and their key), a Biscuit, a macaroon and three Transaction Tokens for the walk-through.")
  static final class DemoTokensCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        defaultValue = "demo",
        paramLabel = "DIR",
        description = "where to write them (default: demo)")
    Path dir;

    @Override
    public void run() {
      DemoTokens files;
      DemoBiscuit biscuit;
      DemoMacaroon macaroon;
      DemoTxnTokens txn;
      try {
        files = mintDemoTokens(dir, Instant.now());
        biscuit = mintDemoBiscuit(dir);
        macaroon = mintDemoMacaroon(dir);
        txn = mintDemoTxnTokens(dir, Instant.now(), DEMO_TXN);
      } catch (IOException e) {
        throw new UserException("cannot write to " + dir + ": " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "wrote %s (Dana's token, jti %s), %s (exchanged, jti %s) and %s (the public key)%n",
          files.subjectToken(), DEMO_SUBJECT_ID, files.issuedToken(), DEMO_ISSUED_ID, files.jwks());
      out.printf(
          "wrote %s (a binary Biscuit of three blocks) and %s (its root public key)%n",
          biscuit.token(), biscuit.rootKey());
      out.printf(
          "wrote %s (a macaroon with three caveats), %s (its discharge) and %s (its root key)%n",
          macaroon.token(), macaroon.discharge(), macaroon.rootKey());
      out.printf(
          "wrote %s (a Txn-Token, txn %s), %s (its replacement), %s (a replacement of that) and %s (the"
              + " Txn-Token Service's key)%n",
          txn.token(), DEMO_TXN, txn.replacement(), txn.secondReplacement(), txn.jwks());
      out.flush();
    }
  }
}

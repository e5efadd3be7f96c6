package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import biscuit.format.schema.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.adapter.JwtTokenAdapter;
import dev.ledger.ingest.adapter.TokenEvents;
import dev.ledger.ingest.adapter.TxnTokenAdapter;
import dev.ledger.ops.cli.LedgerCommand;
import dev.ledger.ops.cli.ReportCommand;
import dev.ledger.schemas.avro.LedgerEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ledger report}: the events it builds from signed tokens, and what it posts to {@code
 * /v1/events}.
 */
class ReportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-20T09:00:00Z");

  @TempDir static Path dir;
  private static ReportCommand.DemoTokens demo;

  @BeforeAll
  static void mint() throws Exception {
    demo = ReportCommand.mintDemoTokens(dir.resolve("demo"), NOW);
  }

  /** The CLI as a user runs it. */
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = LedgerCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<JsonNode> lines(String ndjson) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : ndjson.strip().split("\n")) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  @Test
  void theDemoExchangeVerifiesAndReconstructsTheHopNobodyReported() throws Exception {
    JWKSet keys = JWKSet.load(demo.jwks().toFile());
    assertThat(keys.getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
    TokenEvents events =
        ReportCommand.exchangeEvents(
            Files.readString(demo.issuedToken()),
            Files.readString(demo.subjectToken()),
            "acme",
            keys);
    List<LedgerEvent> built = events.build();

    String hop =
        JwtTokenAdapter.reconstructedId(ReportCommand.DEMO_SUBJECT_ID, "agent:booking-assistant");
    assertThat(built)
        .extracting(e -> e.getToken().getTokenId())
        .containsExactly(hop, ReportCommand.DEMO_ISSUED_ID);
    assertThat(built)
        .extracting(e -> e.getToken().getParentTokenId())
        .containsExactly(ReportCommand.DEMO_SUBJECT_ID, hop);
    assertThat(built)
        .extracting(e -> e.getToken().getActor())
        .containsExactly("agent:booking-assistant", "agent:flight-searcher");
    assertThat(built.get(0).getToken().getAttributes()).containsEntry("may_act", "allowed");
    assertThat(built).extracting(LedgerEvent::getTenant).containsOnly("acme");
    assertThat(built).extracting(LedgerEvent::getSource).containsOnly("ledger-cli");
    assertThat(events.warnings()).isEmpty();

    LedgerEvent root =
        ReportCommand.jwtEvents(Files.readString(demo.subjectToken()), "acme", keys).build().get(0);
    assertThat(root.getType()).isEqualTo("token.issued");
    assertThat(root.getToken().getTokenId()).isEqualTo(ReportCommand.DEMO_SUBJECT_ID);
    assertThat(root.getToken().getSubject()).isEqualTo("user:dana");
    assertThat(root.getToken().getActor()).isEqualTo("agent:travel-planner");
    assertThat(root.getOccurredAt()).isEqualTo(NOW);
  }

  @Test
  void aKeySetWithoutTheSigningKeyRefusesTheTokens() throws Exception {
    JWKSet other =
        new JWKSet(
            new ECKeyGenerator(Curve.P_256)
                .keyID(JWKSet.load(demo.jwks().toFile()).getKeys().get(0).getKeyID())
                .generate()
                .toPublicJWK());
    assertThatThrownBy(
            () -> ReportCommand.jwtEvents(Files.readString(demo.subjectToken()), "acme", other))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("signature not verified");

    Path otherFile = dir.resolve("other-jwks.json");
    Files.writeString(otherFile, other.toString());
    Run run =
        run(
            "report",
            "jwt",
            "--tenant",
            "acme",
            "--jwks",
            otherFile.toString(),
            "--dry-run",
            "@" + demo.subjectToken());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("ledger: cannot report this token: event 0 jwt signature not verified");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void exchangeDryRunPrintsTheEventsParentsFirst() throws Exception {
    Run run =
        run(
            "report",
            "exchange",
            "--tenant",
            "acme",
            "--jwks",
            demo.jwks().toString(),
            "--dry-run",
            "--subject-token",
            "@" + demo.subjectToken(),
            "--issued-token",
            "@" + demo.issuedToken());
    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> events = lines(run.out());
    assertThat(events).extracting(e -> e.path("type").asText()).containsOnly("token.exchanged");
    assertThat(events.get(1).path("token").path("token_id").asText())
        .isEqualTo(ReportCommand.DEMO_ISSUED_ID);
    assertThat(events.get(1).path("token").path("parent_token_id").asText())
        .isEqualTo(events.get(0).path("token").path("token_id").asText());
  }

  @Test
  void aTokenArgumentIsTheTokenOrAFile() throws Exception {
    String token = Files.readString(demo.subjectToken()).strip();
    assertThat(ReportCommand.readToken("@" + demo.subjectToken())).isEqualTo(token);
    assertThat(ReportCommand.readToken(" " + token + "\n")).isEqualTo(token);
    Run missing = run("report", "jwt", "--dry-run", "@" + dir.resolve("nope.jwt"));
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("nope.jwt");
  }

  @Test
  void biscuitDryRunGivesTheAuthorityAndOneEventPerBlock() throws Exception {
    KeyPair root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    Biscuit token =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:dana\")")
            .add_authority_fact("right(\"files:read\")")
            .add_authority_fact("right(\"files:write\")")
            .add_authority_fact("audience(\"https://files.example\")")
            .build()
            .attenuate(
                new Block()
                    .add_fact("actor(\"agent:indexer\")")
                    .add_check("check if operation(\"files:read\")"));
    Path file = dir.resolve("token.biscuit");
    Files.writeString(file, token.serialize_b64url());

    Run run =
        run(
            "report",
            "biscuit",
            "--tenant",
            "acme",
            "--public-key",
            root.public_key().toString(),
            "--dry-run",
            "@" + file);
    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> events = lines(run.out());
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .containsExactly("token.issued", "token.attenuated");
    assertThat(events.get(1).path("token").path("scopes").get(0).asText()).isEqualTo("files:read");
    assertThat(events.get(1).path("token").path("actor").asText()).isEqualTo("agent:indexer");

    Run wrongKey =
        run(
            "report",
            "biscuit",
            "--public-key",
            KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519).public_key().toString(),
            "--dry-run",
            "@" + file);
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("wrong root key: its authority block is not signed by");
    Run badKey = run("report", "biscuit", "--public-key", "abc", "--dry-run", "@" + file);
    assertThat(badKey.err()).contains("not an Ed25519 public key");
  }

  @Test
  void aBinaryBiscuitReadsFromFileAtFileAndStdinAndItsBase64urlFromTheCommandLine()
      throws Exception {
    KeyPair root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    Biscuit token =
        Biscuit.builder(root)
            .add_authority_fact("right(\"file1\", \"read\")")
            .build()
            .attenuate(new Block().add_check("check if operation(\"read\")"));
    Path binary = dir.resolve("token.bc");
    Files.write(binary, token.serialize());
    assertThat(new String(token.serialize(), StandardCharsets.ISO_8859_1))
        .as("really binary")
        .contains("\u0000");
    String key = root.public_key().toString();
    String[] defaults = {
      "--subject",
      "user:dana",
      "--actor",
      "svc:batch",
      "--audience",
      "https://files.example,https://backup.example"
    };

    List<String> outputs = new ArrayList<>();
    for (String[] source :
        List.of(
            new String[] {"--file", binary.toString()},
            new String[] {"@" + binary},
            new String[] {token.serialize_b64url()},
            new String[] {token.serialize_b64url().replace("=", "")})) {
      List<String> args =
          new ArrayList<>(
              List.of("report", "biscuit", "--dry-run", "--tenant", "acme", "--public-key", key));
      args.addAll(List.of(defaults));
      args.addAll(List.of(source));
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as(String.join(" ", source) + ": " + run.err()).isZero();
      outputs.add(withoutTime(run.out()));
    }
    var stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(token.serialize()));
      List<String> args =
          new ArrayList<>(
              List.of("report", "biscuit", "--dry-run", "--tenant", "acme", "--public-key", key));
      args.addAll(List.of(defaults));
      args.add("-");
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.err()).isZero();
      outputs.add(withoutTime(run.out()));
    } finally {
      System.setIn(stdin);
    }
    assertThat(outputs)
        .as("every way of giving the token reports the same events")
        .containsOnly(outputs.get(0));
    List<JsonNode> events = lines(outputs.get(0));
    JsonNode issued = events.get(0).path("token");
    assertThat(issued.path("subject").asText()).isEqualTo("user:dana");
    assertThat(issued.path("actor").asText()).isEqualTo("svc:batch");
    assertThat(issued.path("audience"))
        .extracting(JsonNode::asText)
        .containsExactly("https://files.example", "https://backup.example");
    assertThat(issued.path("issuer").asText()).isEqualTo("biscuit:" + key);
    assertThat(events.get(1).path("token").path("parent_token_id").asText())
        .isEqualTo(issued.path("token_id").asText());
  }

  /**
   * The events without {@code occurred_at}, which is the time of reporting (a Biscuit block has no
   * time).
   */
  private static String withoutTime(String ndjson) {
    return ndjson.replaceAll("\"occurred_at\":\"[^\"]*\",?", "");
  }

  @Test
  void aBiscuitThatDoesNotVerifyIsRefusedWithItsReasonAndAnExitCode() throws Exception {
    KeyPair root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    Biscuit token = Biscuit.builder(root).add_authority_fact("right(\"file1\", \"read\")").build();
    Path binary = dir.resolve("other-root.bc");
    Files.write(binary, token.serialize());
    Run run =
        run(
            "report",
            "biscuit",
            "--dry-run",
            "--public-key",
            KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519).public_key().toString(),
            "--file",
            binary.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("cannot report this token: event 0 biscuit wrong root key:");
    Run p256 =
        run(
            "report",
            "biscuit",
            "--dry-run",
            "--public-key",
            "secp256r1/" + "ab".repeat(33),
            "--file",
            binary.toString());
    assertThat(p256.exit()).isEqualTo(1);
    assertThat(p256.err()).contains("unsupported algorithm");
    Run both =
        run(
            "report",
            "biscuit",
            "--dry-run",
            "--public-key",
            root.public_key().toString(),
            "--file",
            binary.toString(),
            token.serialize_b64url());
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err()).contains("give the token once");
  }

  @Test
  void aMacaroonReportsWithItsDischargeAndTheCommandSaysWhetherItVerified() throws Exception {
    ReportCommand.DemoMacaroon demoMacaroon =
        ReportCommand.mintDemoMacaroon(dir.resolve("macaroon"));
    Run verified =
        run(
            "report",
            "macaroon",
            "--dry-run",
            "--tenant",
            "acme",
            "--root-key",
            "@" + demoMacaroon.rootKey(),
            "--discharge",
            "@" + demoMacaroon.discharge(),
            "--subject",
            "user:dana",
            "@" + demoMacaroon.token());
    assertThat(verified.exit()).as(verified.err()).isZero();
    assertThat(verified.err()).contains("verifying every signature with the root key");
    List<JsonNode> events = lines(verified.out());
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .containsExactly(
            "token.issued",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated");
    assertThat(events.get(2).path("token").path("actor").asText()).isEqualTo("agent:indexer");
    assertThat(events.get(4).path("token").path("parent_token_id").asText())
        .isEqualTo(events.get(3).path("token").path("token_id").asText());

    Run structure =
        run(
            "report",
            "macaroon",
            "--dry-run",
            "--subject",
            "user:dana",
            "@" + demoMacaroon.token());
    assertThat(structure.exit()).as(structure.err()).isZero();
    assertThat(structure.err()).contains("structure only (no --root-key)");
    assertThat(lines(structure.out())).hasSize(4);

    Run wrongKey =
        run(
            "report",
            "macaroon",
            "--dry-run",
            "--root-key",
            "not the key",
            "--discharge",
            "@" + demoMacaroon.discharge(),
            "@" + demoMacaroon.token());
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("macaroon signature not verified");
  }

  @Test
  void aTxnTokenAndItsReplacementReportFromArgumentFileAndStdinAndTheCommandSaysWhetherItVerified()
      throws Exception {
    ReportCommand.DemoTxnTokens txn =
        ReportCommand.mintDemoTxnTokens(dir.resolve("txn"), NOW, "txn-42");
    String token = Files.readString(txn.token()).strip();
    String firstId = TxnTokenAdapter.tokenId(token);
    assertThat(firstId).startsWith("txn-sha256:");

    List<String> outputs = new ArrayList<>();
    for (String[] source :
        List.of(
            new String[] {"--file", txn.token().toString()},
            new String[] {"@" + txn.token()},
            new String[] {token})) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "report",
                  "txn-token",
                  "--dry-run",
                  "--tenant",
                  "acme",
                  "--jwks",
                  txn.jwks().toString()));
      args.addAll(List.of(source));
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.err()).contains("verifying the signature with the key set");
      outputs.add(run.out());
    }
    var stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(txn.token())));
      Run run =
          run(
              "report",
              "txn-token",
              "--dry-run",
              "--tenant",
              "acme",
              "--jwks",
              txn.jwks().toString(),
              "-");
      assertThat(run.exit()).as(run.err()).isZero();
      outputs.add(run.out());
    } finally {
      System.setIn(stdin);
    }
    assertThat(outputs)
        .as("every way of giving the token reports the same event")
        .containsOnly(outputs.get(0));
    JsonNode issued = lines(outputs.get(0)).getFirst();
    assertThat(issued.path("type").asText()).isEqualTo("token.issued");
    assertThat(issued.path("token").path("token_id").asText()).isEqualTo(firstId);
    assertThat(issued.path("token").path("txn").asText()).isEqualTo("txn-42");
    assertThat(issued.path("token").path("acti").asText()).isEqualTo("wf-checkout");
    assertThat(outputs.get(0))
        .as("never the token itself")
        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));

    for (String[] replaced :
        List.of(
            new String[] {"--replaces", firstId},
            new String[] {"--replaces-token", "@" + txn.token()})) {
      List<String> args =
          new ArrayList<>(List.of("report", "txn-token", "--dry-run", "--tenant", "acme"));
      args.addAll(List.of(replaced));
      args.add("@" + txn.replacement());
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.err()).contains("structure only (no --jwks)");
      JsonNode hop = lines(run.out()).getFirst();
      assertThat(hop.path("type").asText()).isEqualTo("token.exchanged");
      assertThat(hop.path("token").path("parent_token_id").asText()).isEqualTo(firstId);
      assertThat(hop.path("token").path("actor").asText()).isEqualTo("svc:payments");
      assertThat(hop.path("token").path("txn").asText()).isEqualTo("txn-42");
    }

    Run claimed =
        run(
            "report",
            "txn-token",
            "--dry-run",
            "--jwks",
            txn.jwks().toString(),
            "--file",
            txn.secondReplacement().toString());
    assertThat(claimed.exit()).as(claimed.err()).isZero();
    JsonNode second = lines(claimed.out()).getFirst().path("token");
    assertThat(second.path("parent_token_id").asText())
        .as("named by its replaces claim")
        .isEqualTo(TxnTokenAdapter.tokenId(Files.readString(txn.replacement())));
    assertThat(second.path("actor").asText()).isEqualTo("svc:receipts");

    Run wrongKey =
        run(
            "report",
            "txn-token",
            "--dry-run",
            "--jwks",
            demo.jwks().toString(),
            "@" + txn.token());
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err())
        .contains("cannot report this token: event 0 txn_token signature not verified");
    Run accessToken = run("report", "txn-token", "--dry-run", "@" + demo.subjectToken());
    assertThat(accessToken.exit()).isEqualTo(1);
    assertThat(accessToken.err()).contains("not a Txn-Token: its typ is at+jwt");
  }

  @Test
  void anAtFileArgumentIsNeverSplitIntoArguments() throws Exception {
    // With picocli's own @file expansion, this file would become the arguments "not", "one" and
    // "token".
    Path file = dir.resolve("spaced.jwt");
    Files.writeString(file, "not one token\n");
    Run run = run("report", "jwt", "--dry-run", "@" + file);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).doesNotContain("Unmatched argument").contains("cannot report this token");
  }

  @Test
  void theEventsArePostedAsNdjsonWithTheKeyAndTheChainCommandIsPrinted() throws Exception {
    List<String> bodies = new ArrayList<>();
    List<String> auth = new ArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/events",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          auth.add(
              exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type"));
          int lines = (int) bodies.get(bodies.size() - 1).lines().count();
          byte[] answer =
              (bodies.size() == 1
                      ? "{\"accepted\":" + lines + "}"
                      : "{\"error\":{\"code\":\"invalid\",\"message\":\"tenant acme is not yours\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(bodies.size() == 1 ? 202 : 403, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      String[] args = {
        "report",
        "exchange",
        "--url",
        url,
        "--key",
        "k-123",
        "--tenant",
        "acme",
        "--subject-token",
        "@" + demo.subjectToken(),
        "--issued-token",
        "@" + demo.issuedToken()
      };
      Run run = run(args);
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(auth).containsExactly("Bearer k-123 application/x-ndjson");
      assertThat(lines(bodies.get(0)))
          .extracting(e -> e.path("token").path("token_id").asText())
          .endsWith(ReportCommand.DEMO_ISSUED_ID)
          .hasSize(2);
      assertThat(run.out())
          .contains(
              "accepted 2", "ledger token " + ReportCommand.DEMO_ISSUED_ID + " --tenant acme");

      Run refused = run(args);
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err()).contains("HTTP 403", "tenant acme is not yours");
    } finally {
      server.stop(0);
    }
  }
}

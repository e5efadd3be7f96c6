package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import biscuit.format.schema.Schema;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.RevocationIdentifier;
import org.biscuitsec.biscuit.token.ThirdPartyBlockContents;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Biscuits made elsewhere, by no convention of the ledger: any datalog, every block kind the
 * library writes, third-party blocks. Each reports as a valid chain whose ids are the token's
 * revocation ids, with defaults only where the contract requires a field.
 */
class BiscuitForeignTokenTest {

  private static KeyPair root;
  private static Biscuit plain;
  private static Biscuit everyKind;
  private static KeyPair thirdParty;

  @BeforeAll
  static void mint() throws Exception {
    root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    // The issue's token: rights on a file, nothing about who, and one attenuation.
    plain =
        Biscuit.builder(root)
            .add_authority_fact("right(\"file1\", \"read\")")
            .add_authority_fact("right(\"file2\", \"read\")")
            .add_authority_fact("right(\"file1\", \"write\")")
            .build()
            .attenuate(
                new Block()
                    .add_check("check if resource($r), operation(\"read\"), right($r, \"read\")"));
    thirdParty = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    Biscuit withRules =
        Biscuit.builder(root)
            .add_authority_fact("right(\"file1\", \"read\")")
            .add_authority_fact(
                "owner(\"user:dana\", [\"file1\", \"file2\"], 42, 2026-11-20T09:00:00Z, true)")
            .add_authority_fact("file(\"file1\")")
            .add_authority_rule(
                "right($f, \"write\") <- owner(\"user:dana\", $files, $n, $t, $b), file($f), $files.contains($f)")
            .add_authority_check("check if operation($op), [\"read\", \"write\"].contains($op)")
            .build();
    Biscuit checkAll =
        withRules.attenuate(new Block().add_check("check all operation($op), $op == \"read\""));
    ThirdPartyBlockContents signed =
        checkAll
            .thirdPartyRequest()
            .createBlock(thirdParty, new Block().add_fact("approved(\"file1\")"))
            .get();
    Biscuit third = checkAll.appendThirdPartyBlock(thirdParty.public_key(), signed);
    everyKind =
        third.attenuate(
            new Block()
                .add_check("check if approved($f) trusting " + thirdParty.public_key())
                .add_rule("allowed($f) <- right($f, \"read\")"));
  }

  private static List<String> ids(Biscuit token) {
    return token.revocation_identifiers().stream()
        .map(RevocationIdentifier::toHex)
        .map(String::toLowerCase)
        .toList();
  }

  @Test
  void theIssuesTokenReportsWithTheContractsDefaultsAndAnExactChain() throws Exception {
    TokenEvents events =
        BiscuitAdapter.verifying(root.public_key()).events(plain.serialize_b64url());
    List<LedgerEvent> built = events.build();
    String issuer = "biscuit:" + root.public_key();
    TokenBody issued = built.get(0).getToken();
    assertThat(issued.getScopes()).containsExactly("file1:read", "file2:read", "file1:write");
    assertThat(List.of(issued.getIssuer(), issued.getSubject(), issued.getActor()))
        .containsOnly(issuer);
    assertThat(issued.getAudience()).containsExactly(issuer);
    assertThat(built.get(1).getToken().getParentTokenId()).isEqualTo(ids(plain).get(0));
    assertThat(built)
        .extracting(e -> e.getToken().getTokenId())
        .containsExactlyElementsOf(ids(plain));
    // Only what the contract requires of a token.issued was defaulted; the attenuation inherits.
    TokenBody hop = built.get(1).getToken();
    assertThat(hop.getActor()).isNull();
    assertThat(hop.getAudience()).isNull();
    assertThat(hop.getSubject()).isNull();
    assertThat(events.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains(issuer));
  }

  @Test
  void theCallersDefaultsFillWhatTheTokenDoesNotSayButNeverOverrideIt() throws Exception {
    BiscuitAdapter adapter =
        BiscuitAdapter.verifying(root.public_key())
            .defaults(
                RootDefaults.NONE
                    .withSubject("user:dana")
                    .withActor("svc:batch")
                    .withAudience(List.of("https://files.example"))
                    .withIssuer("https://as.example"));
    TokenEvents events = adapter.events(plain.serialize());
    TokenBody issued = events.build().get(0).getToken();
    assertThat(issued.getSubject()).isEqualTo("user:dana");
    assertThat(issued.getActor()).isEqualTo("svc:batch");
    assertThat(issued.getAudience()).containsExactly("https://files.example");
    assertThat(issued.getIssuer()).isEqualTo("https://as.example");
    assertThat(events.warnings()).isEmpty();

    Biscuit stated =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:erin\")")
            .add_authority_fact("actor(\"agent:erin\")")
            .add_authority_fact("audience(\"https://mail.example\")")
            .add_authority_fact("right(\"mail:read\")")
            .build();
    TokenBody own = adapter.events(stated.serialize()).build().get(0).getToken();
    assertThat(own.getSubject()).isEqualTo("user:erin");
    assertThat(own.getActor()).isEqualTo("agent:erin");
    assertThat(own.getAudience()).containsExactly("https://mail.example");
    assertThat(own.getIssuer()).isEqualTo("https://as.example");
  }

  @Test
  void everyBlockKindAndAThirdPartyBlockReportInBlockOrder() throws Exception {
    Schema.Biscuit proto = Schema.Biscuit.parseFrom(everyKind.serialize());
    Set<Integer> versions = new HashSet<>();
    List<Schema.SignedBlock> blocks = new ArrayList<>(List.of(proto.getAuthority()));
    blocks.addAll(proto.getBlocksList());
    for (Schema.SignedBlock block : blocks) {
      versions.add(Schema.Block.parseFrom(block.getBlock()).getVersion());
    }
    assertThat(versions).as("the token mixes block format versions").hasSizeGreaterThan(1);

    List<LedgerEvent> events =
        BiscuitAdapter.verifying(root.public_key())
            .defaults(new RootDefaults(null, "user:dana", null, List.of("https://files.example")))
            .events(everyKind.serialize())
            .build();
    List<String> ids = ids(everyKind);
    assertThat(events)
        .extracting(LedgerEvent::getType)
        .containsExactly(
            "token.issued", "token.attenuated", "token.attenuated", "token.attenuated");
    assertThat(events).extracting(e -> e.getToken().getTokenId()).containsExactlyElementsOf(ids);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).getToken().getParentTokenId()).isEqualTo(ids.get(i - 1));
    }
    assertThat(events.get(0).getToken().getCaveats())
        .anySatisfy(c -> assertThat(c).startsWith("right($f, \"write\") <-"));
    assertThat(events.get(1).getToken().getCaveats())
        .singleElement()
        .asString()
        .startsWith("check all ");
    TokenBody third = events.get(2).getToken();
    assertThat(third.getAttributes())
        .containsEntry("biscuit_external_key", thirdParty.public_key().toString());
    assertThat(third.getCaveats()).containsExactly("approved(\"file1\")");
    assertThat(events.get(3).getToken().getCaveats())
        .anySatisfy(c -> assertThat(c).contains("trusting"));
  }

  @Test
  void aDatalogLongerThanAnEventMayCarryIsCutNotRefused() throws Exception {
    Block big = new Block();
    for (int i = 0; i < 400; i++) {
      big.add_fact("note(\"" + "x".repeat(200) + i + "\")");
    }
    big.add_fact("long(\"" + "y".repeat(3000) + "\")");
    Biscuit token =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:dana\")")
            .add_authority_fact("audience(\"https://files.example\")")
            .build()
            .attenuate(big);
    TokenEvents events = BiscuitAdapter.verifying(root.public_key()).events(token.serialize());
    List<String> caveats = events.build().get(1).getToken().getCaveats();
    assertThat(caveats.size()).isLessThanOrEqualTo(LedgerLimits.DEFAULTS.maxListItems());
    assertThat(caveats)
        .allSatisfy(
            c -> assertThat(c.length()).isLessThanOrEqualTo(LedgerLimits.DEFAULTS.maxTextLength()));
    assertThat(caveats.get(caveats.size() - 1)).endsWith("more statements not recorded");
    assertThat(events.warnings()).anySatisfy(w -> assertThat(w).contains("block 1", "cut"));
  }
}

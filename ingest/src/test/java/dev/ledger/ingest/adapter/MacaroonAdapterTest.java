package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.nitram509.jmacaroons.Macaroon;
import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import com.github.nitram509.jmacaroons.MacaroonsSerializer;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Macaroons minted, attenuated, discharged and bound here with jmacaroons, read back as ledger
 * events.
 */
class MacaroonAdapterTest {

  private static final String KEY = "a root key only the file service knows";
  private static final String CAVEAT_KEY = "a key shared with the auth service for this caveat";
  private static final Instant EXPIRY = Instant.parse("2026-11-20T10:00:00Z");

  private static Macaroon reader;
  private static Macaroon withThirdParty;
  private static Macaroon bound;

  @BeforeAll
  static void mint() {
    Macaroon root = new MacaroonsBuilder("https://files.example", KEY, "dana-files-1").build();
    reader =
        MacaroonsBuilder.modify(root)
            .add_first_party_caveat("op = read")
            .add_first_party_caveat("actor = agent:indexer")
            .add_first_party_caveat("time < " + EXPIRY)
            .build();
    withThirdParty =
        MacaroonsBuilder.modify(reader)
            .add_third_party_caveat("https://auth.example", CAVEAT_KEY, "user-is-dana")
            .build();
    Macaroon discharge =
        new MacaroonsBuilder("https://auth.example", CAVEAT_KEY, "user-is-dana")
            .add_first_party_caveat("time < 2026-11-20T09:05:00Z")
            .build();
    bound = MacaroonsBuilder.modify(withThirdParty).prepare_for_request(discharge).build();
  }

  private static MacaroonAdapter verifying() {
    return MacaroonAdapter.verifying(KEY)
        .defaults(new RootDefaults(null, "user:dana", null, List.of("https://files.example")));
  }

  private static String refusal(Runnable report) {
    try {
      report.run();
    } catch (InvalidEventException e) {
      return e.problems().get(0).field() + " " + e.problems().get(0).reason();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void theRootIsIssuedEachCaveatAHopAndTheDischargeAChildOfTheHopItDischarges() {
    TokenEvents reported =
        verifying().events(withThirdParty.serialize(), List.of(bound.serialize()));
    List<LedgerEvent> events = reported.tenant("acme").build();
    assertThat(events)
        .extracting(LedgerEvent::getType)
        .containsExactly(
            "token.issued",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated",
            "token.attenuated");
    List<String> ids = events.stream().map(e -> e.getToken().getTokenId()).toList();
    assertThat(ids)
        .allSatisfy(id -> assertThat(id).startsWith(MacaroonAdapter.ID_PREFIX))
        .doesNotHaveDuplicates();
    for (int i = 1; i <= 4; i++) {
      assertThat(events.get(i).getToken().getParentTokenId()).isEqualTo(ids.get(i - 1));
    }
    TokenBody discharge = events.get(5).getToken();
    assertThat(discharge.getParentTokenId())
        .as("the hop of the third-party caveat")
        .isEqualTo(ids.get(4));
    assertThat(discharge.getAttributes())
        .containsEntry("macaroon_discharge", "true")
        .containsEntry("macaroon_location", "https://auth.example");
    assertThat(events.get(6).getToken().getParentTokenId()).isEqualTo(ids.get(5));
    assertThat(events.get(6).getToken().getExpiresAt())
        .isEqualTo(Instant.parse("2026-11-20T09:05:00Z"));

    TokenBody root = events.get(0).getToken();
    assertThat(root.getIssuer()).isEqualTo("macaroon:https://files.example");
    assertThat(root.getSubject()).isEqualTo("user:dana");
    assertThat(root.getActor()).isEqualTo("user:dana");
    assertThat(root.getScopes()).isEmpty();
    assertThat(events.get(1).getToken().getCaveats()).containsExactly("op = read");
    assertThat(events.get(1).getToken().getScopes())
        .as("inherited, never read as an escalation")
        .isNull();
    assertThat(events.get(2).getToken().getActor()).isEqualTo("agent:indexer");
    assertThat(events.get(3).getToken().getExpiresAt()).isEqualTo(EXPIRY);
    assertThat(events.get(4).getToken().getCaveats())
        .containsExactly("third-party caveat at https://auth.example: user-is-dana");
    assertThat(reported.warnings()).isEmpty();
    // The ledger never keeps a signature: the macaroon's is the credential itself.
    assertThat(reported.toNdjson()).doesNotContain(withThirdParty.signature, bound.signature);
  }

  @Test
  void idsAreTheSameForAnyoneHoldingTheMacaroonInEitherFormatAndForItsPrefixes() {
    MacaroonAdapter structure =
        MacaroonAdapter.structureOnly().defaults(RootDefaults.NONE.withSubject("user:dana"));
    List<String> v1 =
        ids(structure.events(withThirdParty.serialize(MacaroonsSerializer.V1), List.of()));
    List<String> v2 =
        ids(structure.events(withThirdParty.serialize(MacaroonsSerializer.V2), List.of()));
    List<String> shorter = ids(structure.events(reader.serialize(), List.of()));
    assertThat(v2).isEqualTo(v1);
    assertThat(v1).startsWith(shorter.toArray(String[]::new)).hasSize(shorter.size() + 1);
  }

  private static List<String> ids(TokenEvents events) {
    return events.build().stream().map(e -> e.getToken().getTokenId()).toList();
  }

  @Test
  void withoutARootKeyOnlyTheStructureIsReadAndTheWarningSaysSo() {
    TokenEvents events =
        MacaroonAdapter.structureOnly().events(withThirdParty.serialize(), List.of());
    assertThat(events.build()).hasSize(5);
    assertThat(events.warnings()).anySatisfy(w -> assertThat(w).startsWith("structure only"));
    assertThat(MacaroonAdapter.structureOnly().verifies()).isFalse();
    assertThat(verifying().verifies()).isTrue();
  }

  @Test
  void anotherKeyAMissingDischargeOrAStrangerDischargeIsRefused() {
    assertThat(
            refusal(
                () ->
                    MacaroonAdapter.verifying("another key").events(reader.serialize(), List.of())))
        .startsWith("macaroon signature not verified");
    assertThat(refusal(() -> verifying().events(withThirdParty.serialize(), List.of())))
        .startsWith("macaroon signature not verified");
    Macaroon stranger =
        new MacaroonsBuilder("https://auth.example", CAVEAT_KEY, "someone-else").build();
    assertThat(
            refusal(
                () ->
                    MacaroonAdapter.structureOnly()
                        .events(withThirdParty.serialize(), List.of(stranger.serialize()))))
        .startsWith("discharge[0] discharges no third-party caveat");
    assertThat(refusal(() -> verifying().events("not a macaroon", List.of())))
        .startsWith("macaroon not a macaroon");
  }

  @Test
  void defaultsFillTheRootAsForBiscuits() {
    TokenEvents events = MacaroonAdapter.structureOnly().events(reader.serialize(), List.of());
    TokenBody root = events.build().get(0).getToken();
    assertThat(root.getSubject()).isEqualTo("macaroon:https://files.example");
    assertThat(root.getAudience()).containsExactly("macaroon:https://files.example");
    assertThat(events.warnings())
        .anySatisfy(w -> assertThat(w).contains("--subject"))
        .anySatisfy(w -> assertThat(w).contains("--audience"));
    assertThatThrownBy(() -> MacaroonAdapter.verifying((String) null))
        .isInstanceOf(NullPointerException.class);
  }
}

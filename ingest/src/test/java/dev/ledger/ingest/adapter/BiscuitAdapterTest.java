package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import biscuit.format.schema.Schema;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.adapter.internal.Digests;
import dev.ledger.schemas.avro.LedgerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.datalog.RunLimits;
import org.biscuitsec.biscuit.token.Authorizer;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.RevocationIdentifier;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Biscuit tokens minted and attenuated here, read back as ledger events. */
class BiscuitAdapterTest {

  private static final Instant ROOT_EXPIRY = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant SEARCH_EXPIRY = Instant.parse("2026-11-20T09:30:00Z");
  private static final String FLIGHTS = "https://api.flights.example";
  // A cold JVM needs far more than biscuit's default 5 ms to run an authorizer.
  private static final RunLimits LIMITS = new RunLimits(1000, 100, Duration.ofSeconds(10));

  private static KeyPair root;
  private static Biscuit authority;
  private static Biscuit searcher;
  private static Biscuit lister;

  @BeforeAll
  static void mint() throws Exception {
    root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    authority =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:dana\")")
            .add_authority_fact("actor(\"agent:travel-planner\")")
            .add_authority_fact("right(\"flights:search\")")
            .add_authority_fact("right(\"flights:book\")")
            .add_authority_fact("right(\"flights:list\")")
            .add_authority_fact("audience(\"" + FLIGHTS + "\")")
            .add_authority_fact("audience(\"https://api.hotels.example\")")
            .add_authority_check("check if time($t), $t <= " + ROOT_EXPIRY)
            .build();
    searcher =
        authority.attenuate(
            new Block()
                .add_fact("actor(\"agent:flight-searcher\")")
                .add_check("check if operation(\"flights:search\") or operation(\"flights:list\")")
                .add_check("check if resource(\"" + FLIGHTS + "\")")
                .expiration_date(Date.from(SEARCH_EXPIRY)));
    lister = searcher.attenuate(new Block().add_check("check if operation(\"flights:list\")"));
  }

  private static BiscuitAdapter adapter() {
    return BiscuitAdapter.verifying(root.public_key());
  }

  private static List<String> revocationIds(Biscuit token) {
    return token.revocation_identifiers().stream()
        .map(RevocationIdentifier::toHex)
        .map(String::toLowerCase)
        .toList();
  }

  @Test
  void theAuthorityBlockIsIssuedAndEachBlockAnAttenuationOfTheOneBefore() throws Exception {
    List<LedgerEvent> events = adapter().events(lister.serialize_b64url()).tenant("acme").build();
    List<String> ids = revocationIds(lister);

    assertThat(events)
        .extracting(LedgerEvent::getType)
        .containsExactly("token.issued", "token.attenuated", "token.attenuated");
    assertThat(events).extracting(e -> e.getToken().getTokenId()).containsExactlyElementsOf(ids);
    assertThat(events)
        .extracting(e -> e.getToken().getParentTokenId())
        .containsExactly(null, ids.get(0), ids.get(1));
    assertThat(events)
        .extracting(LedgerEvent::getEventId)
        .containsExactly(
            "token.issued:sha256:" + Digests.sha256(ids.get(0)),
            "token.attenuated:sha256:" + Digests.sha256(ids.get(1)),
            "token.attenuated:sha256:" + Digests.sha256(ids.get(2)));
    assertThat(events).extracting(LedgerEvent::getTenant).containsOnly("acme");

    var issued = events.get(0).getToken();
    assertThat(issued.getIssuer()).isEqualTo("biscuit:" + root.public_key());
    assertThat(issued.getSubject()).isEqualTo("user:dana");
    assertThat(issued.getActor()).isEqualTo("agent:travel-planner");
    assertThat(issued.getScopes())
        .containsExactly("flights:search", "flights:book", "flights:list");
    assertThat(issued.getAudience()).containsExactly(FLIGHTS, "https://api.hotels.example");
    assertThat(issued.getExpiresAt()).isEqualTo(ROOT_EXPIRY);
    assertThat(issued.getCaveats())
        .contains("right(\"flights:book\")", "check if time($t), $t <= " + ROOT_EXPIRY);

    var search = events.get(1).getToken();
    assertThat(search.getActor()).isEqualTo("agent:flight-searcher");
    assertThat(search.getScopes()).containsExactly("flights:search", "flights:list");
    assertThat(search.getAudience()).containsExactly(FLIGHTS);
    assertThat(search.getExpiresAt()).isEqualTo(SEARCH_EXPIRY);
    assertThat(search.getCaveats()).hasSize(4).contains("actor(\"agent:flight-searcher\")");

    var list = events.get(2).getToken();
    assertThat(list.getScopes()).containsExactly("flights:list");
    assertThat(list.getActor()).as("inherited").isNull();
    assertThat(list.getAudience()).as("inherited").isNull();
    assertThat(list.getCaveats()).containsExactly("check if operation(\"flights:list\")");
  }

  @Test
  void theLedgerChainOfABlockIsExactlyTheSetOfIdsThatRevokeIt() throws Exception {
    // Biscuit refuses a token when any of its revocation ids is revoked; the ledger revokes a
    // token when it or an ancestor is. The two agree when ancestors(block i) = ids of blocks 0..i.
    for (Biscuit token : List.of(authority, searcher, lister)) {
      List<LedgerEvent> events = adapter().events(token.serialize()).build();
      Map<String, String> parent = new HashMap<>();
      events.forEach(e -> parent.put(e.getToken().getTokenId(), e.getToken().getParentTokenId()));
      List<String> chain = new ArrayList<>();
      for (String id = events.get(events.size() - 1).getToken().getTokenId();
          id != null;
          id = parent.get(id)) {
        chain.add(0, id);
      }
      assertThat(chain).containsExactlyElementsOf(revocationIds(token));
    }
  }

  @Test
  void reportingAShorterTokenOfTheSameLineageRepeatsTheSameEventIds() throws Exception {
    List<String> shorter =
        adapter().events(searcher.serialize_b64url()).build().stream()
            .map(LedgerEvent::getEventId)
            .toList();
    List<String> longer =
        adapter().events(lister.serialize_b64url()).build().stream()
            .map(LedgerEvent::getEventId)
            .toList();
    assertThat(longer).startsWith(shorter.toArray(String[]::new)).hasSize(shorter.size() + 1);
  }

  @Test
  void theScopesReadFromTheBlocksAreWhatBiscuitsAuthorizerAllows() throws Exception {
    List<LedgerEvent> events = adapter().events(lister.serialize()).build();
    List<String> effective = events.get(2).getToken().getScopes();
    for (String operation : events.get(0).getToken().getScopes()) {
      assertThat(allows(lister, operation)).as(operation).isEqualTo(effective.contains(operation));
      assertThat(allows(searcher, operation))
          .as(operation)
          .isEqualTo(events.get(1).getToken().getScopes().contains(operation));
    }
  }

  private static boolean allows(Biscuit token, String operation) throws Exception {
    Authorizer authorizer = token.authorizer();
    authorizer.add_fact("operation(\"" + operation + "\")");
    authorizer.add_fact("resource(\"" + FLIGHTS + "\")");
    authorizer.add_fact("time(" + SEARCH_EXPIRY.minusSeconds(60) + ")");
    authorizer.add_policy("allow if right($op), operation($op)");
    try {
      authorizer.authorize(LIMITS);
      return true;
    } catch (org.biscuitsec.biscuit.error.Error.FailedLogic e) {
      return false;
    }
  }

  @Test
  void aTokenSignedByAnotherRootIsRefused() throws Exception {
    BiscuitAdapter other =
        BiscuitAdapter.verifying(KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519).public_key());
    assertThatThrownBy(() -> other.events(lister.serialize_b64url()))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> {
              assertThat(e.problems()).extracting(Problem::field).containsExactly("biscuit");
              assertThat(e.problems().get(0).reason())
                  .startsWith(BiscuitRefusal.WRONG_ROOT_KEY.label() + ":");
            });
  }

  @Test
  void somethingThatIsNotABiscuitIsAProblem() {
    assertThatThrownBy(() -> adapter().events("not a biscuit!"))
        .isInstanceOf(InvalidEventException.class);
    assertThatThrownBy(() -> adapter().events("AAAA")).isInstanceOf(InvalidEventException.class);
  }

  @Test
  void theRootKeyReadsAsBiscuitPrintsItOrAsBareHex() throws Exception {
    String printed = root.public_key().toString();
    assertThat(printed).startsWith("ed25519/");
    assertThat(BiscuitAdapter.verifying(printed).rootKey()).isEqualTo(printed);
    String bare = printed.substring("ed25519/".length()).toUpperCase();
    assertThat(BiscuitAdapter.verifying(bare).events(authority.serialize()).builders()).hasSize(1);
    assertThatThrownBy(() -> BiscuitAdapter.verifying("ed25519/abcd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BiscuitAdapter.verifying("zz"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAuthorityWithoutRightsIsReportedWithoutScopesAndAWarning() throws Exception {
    Biscuit bare =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:dana\")")
            .add_authority_fact("audience(\"" + FLIGHTS + "\")")
            .build();
    TokenEvents events = adapter().events(bare.serialize());
    assertThat(events.build().get(0).getToken().getScopes()).isEmpty();
    assertThat(events.build().get(0).getToken().getActor()).isEqualTo("user:dana");
    assertThat(events.warnings()).singleElement().asString().contains("right");
  }

  @Test
  void anAuthorityWithoutSubjectOrAudienceIsReportedWithTheContractsDefaultsAndWarnings()
      throws Exception {
    Biscuit bare = Biscuit.builder(root).add_authority_fact("right(\"read\")").build();
    TokenEvents events = adapter().events(bare.serialize());
    var issued = events.build().get(0).getToken();
    String issuer = "biscuit:" + root.public_key();
    assertThat(issued.getIssuer()).isEqualTo(issuer);
    assertThat(issued.getSubject()).isEqualTo(issuer);
    assertThat(issued.getActor()).isEqualTo(issuer);
    assertThat(issued.getAudience()).containsExactly(issuer);
    assertThat(events.warnings())
        .anySatisfy(w -> assertThat(w).contains("no subject", "--subject"))
        .anySatisfy(w -> assertThat(w).contains("no audience", "--audience"));
  }
}

package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.RevocationNotice;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;

class DocumentsTest {

  static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  static List<Hop> chain() {
    return List.of(
        Hop.newBuilder().setTokenId("root").setActor("agent-a").setVia(Via.issued).build(),
        Hop.newBuilder().setTokenId("mid").setActor("agent-b").setVia(Via.exchanged).build(),
        Hop.newBuilder().setTokenId("leaf").setActor(null).setVia(Via.attenuated).build());
  }

  static List<String> values(Document d, String field) {
    return Arrays.stream(d.getFields(field))
        .filter(f -> f.fieldType().indexOptions() != org.apache.lucene.index.IndexOptions.NONE)
        .map(IndexableField::stringValue)
        .toList();
  }

  @Test
  void aTokenCarriesEveryAncestorButItself() {
    TokenNode t =
        TokenNode.newBuilder()
            .setTenant("acme")
            .setTokenId("leaf")
            .setParentId("mid")
            .setRootId("root")
            .setChain(chain())
            .setStatus(TokenStatus.active)
            .setVia(Via.attenuated)
            .setIssuedAt(T)
            .build();
    Document d = Documents.token(t);
    assertThat(values(d, Fields.ANCESTOR)).containsExactly("root", "mid");
    assertThat(values(d, Fields.ACTOR)).containsExactly("agent-a", "agent-b");
    assertThat(Documents.decodeToken(d.getBinaryValue(Fields.RECORD))).isEqualTo(t);
    assertThat(d.getField(Fields.TIME).numericValue().longValue()).isEqualTo(T.toEpochMilli());
  }

  @Test
  void anAuditRecordCarriesEveryActorOfTheChainAndTheCatchAll() throws Exception {
    AuditRecord r =
        AuditRecord.newBuilder()
            .setTenant("acme")
            .setEventId("e1")
            .setType("token.used")
            .setOccurredAt(T)
            .setTokenId("leaf")
            .setPrincipal("alice")
            .setActor("presenter")
            .setChain(chain())
            .setViolations(List.of(ViolationKind.holder_mismatch, ViolationKind.holder_mismatch))
            .setReason("wrong holder")
            .build();
    Document d = Documents.audit(r);
    assertThat(values(d, Fields.ACTOR)).containsExactly("agent-a", "agent-b", "presenter");
    assertThat(values(d, Fields.VIOLATION)).containsExactly("holder_mismatch");
    assertThat(values(d, Fields.OUTCOME)).isEmpty();
    assertThat(catchAll(d))
        .as("analysed, each term prefixed by the tenant")
        .contains("acme\u0000wrong", "acme\u0000holder", "acme\u0000alice", "acme\u0000mid")
        .allMatch(t -> t.startsWith("acme\u0000"));
    assertThat(d.getBinaryValue(Fields.RECORD)).isNotNull();
    assertThat(Documents.auditTerm(r).text())
        .as("the event's identity: tenant, token, event id")
        .isEqualTo("audit:acme/leaf\u0000e1");
  }

  @Test
  void aTombstoneKeepsItsKeyAndSequenceButNoRecord() {
    RevocationNotice n =
        RevocationNotice.newBuilder()
            .setTenant("acme")
            .setTokenId("x")
            .setRevocationCause("x")
            .setRevokedAt(T)
            .setNotifiedAt(T.plusSeconds(1))
            .build();
    Document live = Documents.revocation("acme", "x", n, 0, 5);
    Document tomb = Documents.revocation("acme", "x", null, 0, 6);
    assertThat(live.getField(Fields.TIME).numericValue().longValue())
        .as("sorted by notification time")
        .isEqualTo(T.plusSeconds(1).toEpochMilli());
    assertThat(values(live, Fields.LIVE)).containsExactly("true");
    assertThat(values(tomb, Fields.LIVE)).containsExactly("false");
    assertThat(tomb.getBinaryValue(Fields.RECORD)).isNull();
    assertThat(tomb.get(Fields.KEY)).isEqualTo("acme/x");
    assertThat(Documents.revocationTerm("acme", "x").text()).isEqualTo("revocation:acme/x");
  }

  @Test
  void theStoredRecordIsTheKafkaValueAsItCame() {
    AuditRecord r =
        AuditRecord.newBuilder()
            .setTenant("acme")
            .setEventId("e1")
            .setType("token.used")
            .setOccurredAt(T)
            .setTokenId("leaf")
            .setChain(chain())
            .build();
    byte[] value =
        dev.ledger.schemas.Topics.AUDIT.valueSerde().serializer().serialize("ledger.audit", r);
    org.apache.lucene.util.BytesRef stored =
        Documents.audit(r, value, TermsLayout.PREFIXED).getBinaryValue(Fields.RECORD);
    assertThat(stored.bytes).as("the same bytes, not encoded again").isSameAs(value);
    assertThat(Documents.decodeAudit(stored)).isEqualTo(r);
    assertThat(values(Documents.audit(r, value, TermsLayout.PREFIXED), Fields.CHAIN))
        .containsExactly("root", "mid", "leaf");
  }

  private static List<String> catchAll(Document d) throws java.io.IOException {
    List<String> terms = new java.util.ArrayList<>();
    try (org.apache.lucene.analysis.TokenStream in =
        d.getField(Fields.ALL).tokenStream(AuditQueryParser.ANALYZER, null)) {
      var term =
          in.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
      in.reset();
      while (in.incrementToken()) {
        terms.add(term.toString());
      }
      in.end();
    }
    return terms;
  }
}

package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.index.internal.Documents;
import dev.ledger.index.internal.Fields;
import dev.ledger.index.internal.TermsLayout;
import dev.ledger.index.internal.Writers;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.ViolationKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amendments of audit records, through the indexer's own batch code: issue 17's budget scenario as
 * the stream processor writes it in two arrival orders (in order: flagged at once; latest use
 * first: flagged by amendments) gives the same answer to {@code violation=} in every batching, and
 * the amended record shows the verdict now, the verdict as first recorded and when it changed.
 */
class AmendmentsIndexTest {

  private static final Instant AMENDED = Instant.parse("2026-12-03T19:00:00Z");
  private static final String EXCEEDED = ViolationKind.usage_limit_exceeded.name();

  @TempDir Path dir;
  LedgerIndex index;
  IndexerLoop loop;
  long offset;

  @BeforeEach
  void open() throws Exception {
    index = LedgerIndex.open(dir);
    loop =
        new IndexerLoop(
            IndexerSettings.builder("unused:9092").build(), index, new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    index.close();
  }

  /** u1..u3 of t2 (max_uses 2) at :20..:22, u4 and u5 of t3 at :23 and :25, u6 of t4 at :40. */
  private static AuditRecord use(String tenant, String eventId, ViolationKind... violations) {
    int n = Integer.parseInt(eventId.substring(1));
    int second = new int[] {0, 20, 21, 22, 23, 25, 40}[n];
    String[] chain =
        n <= 3
            ? new String[] {"t1:planner", "t2:searcher"}
            : n <= 5
                ? new String[] {"t1:planner", "t2:searcher", "t3:scraper"}
                : new String[] {"t1:planner", "t2:searcher", "t3:scraper", "t4:fetcher"};
    return Records.audit(tenant, eventId, T0.plusSeconds(second), "user:dana", chain)
        .setViolations(List.of(violations))
        .build();
  }

  private static AuditRecord amendment(
      String tenant, String eventId, String cause, ViolationKind added) {
    AuditRecord original = use(tenant, eventId);
    return AuditRecord.newBuilder(original)
        .setResource(null)
        .setAction(null)
        .setViolations(List.of(added))
        .setAmends(
            AuditAmendment.newBuilder()
                .setAdded(List.of(added))
                .setRemoved(List.of())
                .setCauseEventId(cause)
                .setCauseTokenId("t2")
                .setAmendedAt(AMENDED)
                .build())
        .build();
  }

  /** In event-time order: the stream processor flags u3..u6 as they arrive; nothing is amended. */
  private static List<AuditRecord> inOrder(String tenant) {
    ViolationKind x = ViolationKind.usage_limit_exceeded;
    return List.of(
        use(tenant, "u1"),
        use(tenant, "u2"),
        use(tenant, "u3", x),
        use(tenant, "u4", x),
        use(tenant, "u5", x),
        use(tenant, "u6", x));
  }

  /**
   * Latest use first: each earlier use pushes the use ranked third out of the budget, by an
   * amendment.
   */
  private static List<AuditRecord> latestFirst(String tenant) {
    ViolationKind x = ViolationKind.usage_limit_exceeded;
    return List.of(
        use(tenant, "u6"),
        use(tenant, "u5"),
        use(tenant, "u4"),
        amendment(tenant, "u6", "u4", x),
        use(tenant, "u3"),
        amendment(tenant, "u5", "u3", x),
        use(tenant, "u2"),
        amendment(tenant, "u4", "u2", x),
        use(tenant, "u1"),
        amendment(tenant, "u3", "u1", x));
  }

  /** Indexes {@code records} (one partition, one key, in order) in batches of {@code batchSize}. */
  private void index(List<AuditRecord> records, int batchSize) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    for (AuditRecord r : records) {
      batch.add(
          new ConsumerRecord<>(
              Topics.AUDIT.name(),
              0,
              offset++,
              (r.getTenant() + "/" + r.getTokenId()).getBytes(StandardCharsets.UTF_8),
              Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), r)));
      if (batch.size() == batchSize) {
        loop.indexBatch(batch);
        batch.clear();
      }
    }
    loop.indexBatch(batch);
    index.awaitSearchable();
  }

  private Map<String, AuditRecord> flagged(String tenant, String violation) throws Exception {
    Map<String, AuditRecord> out = new TreeMap<>();
    index
        .audit(
            TenantScope.of(tenant),
            AuditFilter.builder().violation(violation).build(),
            PageRequest.first(100))
        .items()
        .forEach(a -> out.put(a.getEventId(), a));
    return out;
  }

  @Test
  void violationFindsTheSameUsesInEveryArrivalOrderAndBatching() throws Exception {
    index(inOrder("in-order"), 100);
    index(latestFirst("one-batch"), 100);
    index(latestFirst("per-record"), 1);
    index(latestFirst("pairs"), 2);

    for (String tenant : List.of("in-order", "one-batch", "per-record", "pairs")) {
      assertThat(flagged(tenant, EXCEEDED).keySet())
          .as(tenant)
          .containsExactly("u3", "u4", "u5", "u6");
      assertThat(
              index
                  .audit(TenantScope.of(tenant), AuditFilter.empty(), PageRequest.first(100))
                  .items())
          .as(tenant + ": one document per event, amendments folded in")
          .hasSize(6);
      assertThat(
              index
                  .audit(
                      TenantScope.of(tenant),
                      AuditFilter.builder().q("violation:" + EXCEEDED).build(),
                      PageRequest.first(100))
                  .items())
          .as(tenant + ": q searches the verdict now too")
          .hasSize(4);
    }
    AuditRecord u4 = flagged("per-record", EXCEEDED).get("u4");
    assertThat(u4.getViolations()).as("now").containsExactly(ViolationKind.usage_limit_exceeded);
    assertThat(u4.getAmends().getRecordedViolations()).as("as first recorded").isEmpty();
    assertThat(u4.getAmends().getAmendedAt()).isEqualTo(AMENDED);
    assertThat(u4.getAmends().getCauseEventId()).isEqualTo("u2");
    assertThat(u4.getResource())
        .as("the record as first written, not the amendment's")
        .isEqualTo("https://bank.example");
    assertThat(flagged("in-order", EXCEEDED).get("u4").getAmends()).as("never amended").isNull();
    // The allowed uses of t2 are still counted once each from the audit documents.
    index.putToken(Records.token("per-record", "user:dana", T0, "t1:planner", "t2:searcher"));
    index.awaitSearchable();
    assertThat(index.token("per-record", "t2").orElseThrow().getUses()).isEqualTo(6);
  }

  /** {@link #use} of {@code eventId} on token {@code tokenId} instead of its own. */
  private static AuditRecord onToken(AuditRecord record, String tokenId) {
    return AuditRecord.newBuilder(record).setTokenId(tokenId).build();
  }

  /**
   * CONTRACT.md v1.10: an event is (tenant, token, event id). Two uses with one event id on two
   * tokens are two documents, and an amendment of one leaves the other as it was.
   */
  @Test
  void anAmendmentReplacesOnlyTheDocumentOfItsOwnTokensEvent() throws Exception {
    AuditRecord onT2 = use("y", "u2");
    AuditRecord onT3 = onToken(use("y", "u2", ViolationKind.holder_mismatch), "t3");
    index(List.of(onT2, onT3, amendment("y", "u2", "u1", ViolationKind.usage_limit_exceeded)), 1);

    List<AuditRecord> all =
        index.audit(TenantScope.of("y"), AuditFilter.empty(), PageRequest.first(100)).items();
    assertThat(all).extracting(AuditRecord::getTokenId).containsExactlyInAnyOrder("t2", "t3");
    assertThat(flagged("y", EXCEEDED).get("u2").getTokenId()).isEqualTo("t2");
    assertThat(flagged("y", ViolationKind.holder_mismatch.name()).get("u2").getTokenId())
        .as("the other token's record, untouched")
        .isEqualTo("t3");
  }

  /**
   * An index written before v1.10 named an audit document {@code tenant/event_id}: an amendment
   * still finds its record there (by token too, since other tokens' records of that event id share
   * the old id) and replaces only that one.
   */
  @Test
  void anAmendmentFindsARecordIndexedBeforeV110() throws Exception {
    index.close();
    AuditRecord onT2 = use("old", "u2");
    AuditRecord onT3 = onToken(use("old", "u2"), "t3");
    try (IndexWriter writer = Writers.open(FSDirectory.open(dir), 16)) {
      for (AuditRecord r : List.of(onT2, onT3)) {
        // Written as an index of that time wrote it: no tenant terms, norms on the catch-all.
        Document d = Documents.audit(r, null, TermsLayout.SHARED);
        d.removeFields(Fields.ID);
        String legacyId = Fields.KIND_AUDIT + ":" + r.getTenant() + "/" + r.getEventId();
        d.add(new StringField(Fields.ID, legacyId, Field.Store.NO));
        d.add(new SortedDocValuesField(Fields.ID, new BytesRef(legacyId)));
        writer.addDocument(d);
      }
      Writers.commit(writer, Map.of());
    }
    open();

    index(List.of(amendment("old", "u2", "u1", ViolationKind.usage_limit_exceeded)), 1);

    assertThat(flagged("old", EXCEEDED)).containsOnlyKeys("u2");
    assertThat(flagged("old", EXCEEDED).get("u2").getTokenId()).isEqualTo("t2");
    assertThat(flagged("old", EXCEEDED).get("u2").getResource())
        .as("the record as first written, found under its old id")
        .isEqualTo("https://bank.example");
    assertThat(
            index.audit(TenantScope.of("old"), AuditFilter.empty(), PageRequest.first(100)).items())
        .extracting(AuditRecord::getTokenId)
        .as("no copy left under the old id, the other token's record kept")
        .containsExactlyInAnyOrder("t2", "t3");
  }

  @Test
  void aSecondAmendmentOfTheSameUseKeepsTheVerdictAsFirstRecorded() throws Exception {
    AuditRecord revoked = amendment("x", "u4", "rev", ViolationKind.use_after_revocation);
    AuditRecord pushed = amendment("x", "u4", "u2", ViolationKind.usage_limit_exceeded);
    index(List.of(use("x", "u4", ViolationKind.holder_mismatch), revoked, pushed, pushed), 100);

    AuditRecord u4 = flagged("x", ViolationKind.use_after_revocation.name()).get("u4");
    assertThat(u4.getViolations())
        .containsExactly(
            ViolationKind.use_after_revocation,
            ViolationKind.usage_limit_exceeded,
            ViolationKind.holder_mismatch);
    assertThat(u4.getAmends().getRecordedViolations())
        .containsExactly(ViolationKind.holder_mismatch);
    assertThat(u4.getAmends().getAdded())
        .containsExactly(ViolationKind.use_after_revocation, ViolationKind.usage_limit_exceeded);
    assertThat(flagged("x", EXCEEDED)).containsOnlyKeys("u4");
    assertThat(flagged("x", ViolationKind.holder_mismatch.name())).containsOnlyKeys("u4");
  }
}

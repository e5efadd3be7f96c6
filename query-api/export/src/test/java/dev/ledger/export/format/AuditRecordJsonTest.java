package dev.ledger.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.export.testing.TestRecords;
import dev.ledger.schemas.avro.AuditRecord;
import org.junit.jupiter.api.Test;

/**
 * The export form of the {@code submitted_by} field: present when known, absent (not null)
 * otherwise.
 */
class AuditRecordJsonTest {

  @Test
  void submittedByIsExportedWhenKnownAndLeftOutOtherwise() {
    AuditRecord record = TestRecords.avro("acme", 3);
    String before = CanonicalJson.string(AuditRecordJson.of(record));
    assertThat(AuditRecordJson.of(record).has("submitted_by"))
        .as("records from before the field hash as they did")
        .isFalse();

    record.setSubmittedBy("3f9c0a1b2d4e5f60");
    assertThat(AuditRecordJson.of(record).get("submitted_by").asText())
        .isEqualTo("3f9c0a1b2d4e5f60");
    assertThat(CanonicalJson.string(AuditRecordJson.of(record)))
        .isNotEqualTo(before)
        .contains("3f9c0a1b2d4e5f60");
  }
}

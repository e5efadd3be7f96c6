package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.revocation.Revocation;
import dev.ledger.schemas.LedgerKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoticeJsonTest {

  @Test
  void readsTheFieldsOfANoticeAndIgnoresTheRest() {
    Revocation r =
        NoticeJson.revocation(
            "{\"tenant\":\"acme\",\"token_id\":\"tok-2\",\"root_id\":\"tok-1\","
                + "\"revoked_at\":\"2026-01-02T03:04:05.678Z\",\"revocation_cause\":\"tok-1\",\"reason\":\"leak \\\"x\\\"\","
                + "\"revoked_by\":null,\"expires_at\":\"2026-02-01T00:00:00+01:00\",\"principal\":\"alice\",\"depth\":1,"
                + "\"event_id\":\"ev-9\",\"notified_at\":\"2026-01-02T03:04:06Z\"}");
    assertThat(r)
        .isEqualTo(
            new Revocation(
                "acme",
                "tok-2",
                Instant.parse("2026-01-02T03:04:05.678Z"),
                "tok-1",
                Instant.parse("2026-01-31T23:00:00Z")));
    assertThat(r.inherited()).isTrue();
  }

  @Test
  void aMissingCauseMeansTheTokenItselfAndNullExpiryMeansNever() {
    Revocation r =
        NoticeJson.revocation(
            "{\"tenant\":\"t\",\"token_id\":\"a\",\"revoked_at\":1767225600000,\"expires_at\":null}");
    assertThat(r.revocationCause()).isEqualTo("a");
    assertThat(r.revokedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(r.expiresAt()).isNull();
  }

  @Test
  void listsEveryProblem() {
    assertThatThrownBy(() -> NoticeJson.revocation("{\"tenant\":3,\"revoked_at\":\"yesterday\"}"))
        .hasMessageContaining("tenant must be a non-empty string")
        .hasMessageContaining("token_id is required")
        .hasMessageContaining("revoked_at is not an RFC 3339 timestamp");
  }

  @Test
  void readsATombstone() {
    assertThat(NoticeJson.tombstone("{\"tenant\":\"acme\",\"token_id\":\"a/b\"}"))
        .isEqualTo(LedgerKey.of("acme", "a/b"));
    assertThatThrownBy(() -> NoticeJson.tombstone("{\"tenant\":\"a/b\",\"token_id\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad tombstone");
  }

  @Test
  void decodesEscapesInTheFieldsItKeeps() {
    Revocation r =
        NoticeJson.revocation(
            "{\"tenant\":\"acme\",\"token_id\":\"t\\u00e9\\uD83D\\uDE00\\/x\","
                + "\"revoked_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(r.tokenId()).isEqualTo("t\u00e9\uD83D\uDE00/x");
  }

  /** The SSE source skips an event whose data throws IllegalArgumentException, so all must. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "\"acme\"",
        "{",
        "{\"tenant\":\"acme\",}",
        "{'tenant':'acme'}",
        "{\"tenant\":\"acme\"} {}",
        "{\"tenant\":\"tab\there\"}"
      })
  void rejectsMalformedJson(String text) {
    assertThatThrownBy(() -> NoticeJson.revocation(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> NoticeJson.tombstone(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void aNumberTooLargeForMillisIsNotATimestamp() {
    assertThatThrownBy(
            () ->
                NoticeJson.revocation(
                    "{\"tenant\":\"t\",\"token_id\":\"a\",\"revoked_at\":123456789012345678901}"))
        .hasMessageContaining("revoked_at must be an RFC 3339 timestamp");
  }
}

package dev.ledger.api.ssf.internal;

/** What one revocation notice gives one stream. */
public sealed interface NoticeOutcome {
  /** The stream gets this signed SET. */
  record Set(String set) implements NoticeOutcome {}

  /** The stream does not get the notice (another tenant, a subject it did not add). */
  record Skip() implements NoticeOutcome {}

  /** The SET cannot be made well yet (the index has not seen the token): ask again later. */
  record NotYet() implements NoticeOutcome {}

  NoticeOutcome SKIP = new Skip();
  NoticeOutcome NOT_YET = new NotYet();
}

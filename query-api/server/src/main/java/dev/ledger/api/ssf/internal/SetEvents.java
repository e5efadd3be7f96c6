package dev.ledger.api.ssf.internal;

import java.util.List;

/** The URIs of SSF 1.0, CAEP 1.0 and RFC 8935/8936 the transmitter speaks. */
public final class SetEvents {
  public static final String PUSH = "urn:ietf:rfc:8935";
  public static final String POLL = "urn:ietf:rfc:8936";
  public static final String SESSION_REVOKED =
      "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
  public static final String CREDENTIAL_CHANGE =
      "https://schemas.openid.net/secevent/caep/event-type/credential-change";
  public static final String VERIFICATION =
      "https://schemas.openid.net/secevent/ssf/event-type/verification";
  public static final String STREAM_UPDATED =
      "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

  /**
   * The ledger's extension member inside a revocation event: the revoked ancestor, the root and the
   * chain.
   */
  public static final String DELEGATION = "https://ledger.dev/secevent/delegation";

  /**
   * The CAEP events a stream may ask for; a revocation is sent as the first of them the stream
   * gets.
   */
  public static final List<String> SUPPORTED = List.of(SESSION_REVOKED, CREDENTIAL_CHANGE);

  public static final List<String> STATUSES = List.of("enabled", "paused", "disabled");

  private SetEvents() {}
}

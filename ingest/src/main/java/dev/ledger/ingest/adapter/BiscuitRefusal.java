package dev.ledger.ingest.adapter;

/**
 * Why {@link BiscuitAdapter} refuses a token. The refusal's problem (field {@code biscuit}) starts
 * with {@link #label()} followed by a colon, then says which block and what was found, so a user
 * and a test can tell the reasons apart.
 */
public enum BiscuitRefusal {
  /**
   * Not a serialized Biscuit at all (not base64url, not its protobuf format, unreadable datalog).
   */
  MALFORMED("not a Biscuit"),
  /** The authority block is not signed by the root key given. */
  WRONG_ROOT_KEY("wrong root key"),
  /** A block's signature, a third-party signature or the token's proof does not verify. */
  BAD_SIGNATURE("bad signature"),
  /** A block was signed by the key of another block of the same lineage than the one before it. */
  REORDERED_OR_FOREIGN_BLOCKS("reordered or foreign blocks"),
  /** A block's format version is outside what the Biscuit library reads. */
  UNSUPPORTED_VERSION("unsupported version"),
  /**
   * A key of another algorithm than Ed25519 (such as SECP256R1, P-256), which biscuit-java 4.0.1
   * cannot verify.
   */
  UNSUPPORTED_ALGORITHM("unsupported algorithm");

  private final String label;

  BiscuitRefusal(String label) {
    this.label = label;
  }

  /** The words a refusal's reason starts with. */
  public String label() {
    return label;
  }
}

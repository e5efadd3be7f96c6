package dev.ledger.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The five event types of CONTRACT.md section 1, with their wire name, the name of their body field
 * and the permission a credential needs to report them (CONTRACT.md section 5). The one place the
 * type names are written: code that needs one as a constant (a {@code case} label) uses {@link
 * Names}, everything else {@link #wireName()} or {@link #fromWireName(String)}.
 */
public enum EventType {
  ISSUED(Names.ISSUED, "token", "events:issue"),
  EXCHANGED(Names.EXCHANGED, "token", "events:issue"),
  ATTENUATED(Names.ATTENUATED, "token", "events:issue"),
  USED(Names.USED, "use", "events:use"),
  REVOKED(Names.REVOKED, "revocation", "events:revoke");

  /** The wire names as compile-time constants, for {@code switch} labels and annotations. */
  public static final class Names {
    public static final String ISSUED = "token.issued";
    public static final String EXCHANGED = "token.exchanged";
    public static final String ATTENUATED = "token.attenuated";
    public static final String USED = "token.used";
    public static final String REVOKED = "token.revoked";

    private Names() {}
  }

  /** The names of every body field, whatever the type. */
  public static final List<String> BODY_FIELDS = List.of("token", "use", "revocation");

  private final String wireName;
  private final String bodyField;
  private final String permission;

  EventType(String wireName, String bodyField, String permission) {
    this.wireName = wireName;
    this.bodyField = bodyField;
    this.permission = permission;
  }

  /**
   * The permission a credential needs to report this type: {@code events:issue} for the three token
   * types, {@code events:use}, {@code events:revoke}. Uses and revocations are apart so that a
   * resource server's key can report uses without being able to revoke.
   */
  public String permission() {
    return permission;
  }

  /** The value of the {@code type} field, e.g. {@code token.issued}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The JSON field that carries this type's body: {@code token}, {@code use} or {@code revocation}.
   */
  public String bodyField() {
    return bodyField;
  }

  /** True for the three types whose body is a {@code token}. */
  public boolean isTokenType() {
    return "token".equals(bodyField);
  }

  /** The type with this wire name; empty for null or an unknown name. */
  public static Optional<EventType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}

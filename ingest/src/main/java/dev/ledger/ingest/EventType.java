package dev.ledger.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The five event types of CONTRACT.md section 1, with their wire name, the name of their body field
 * and the permission a credential needs to report them (CONTRACT.md section 5).
 */
public enum EventType {
  ISSUED("token.issued", "token", "events:issue"),
  EXCHANGED("token.exchanged", "token", "events:issue"),
  ATTENUATED("token.attenuated", "token", "events:issue"),
  USED("token.used", "use", "events:use"),
  REVOKED("token.revoked", "revocation", "events:revoke");

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

package dev.ledger.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The five event types of CONTRACT.md section 1, with their wire name and the name of their body field. */
public enum EventType {
  ISSUED("token.issued", "token"),
  EXCHANGED("token.exchanged", "token"),
  ATTENUATED("token.attenuated", "token"),
  USED("token.used", "use"),
  REVOKED("token.revoked", "revocation");

  /** The names of every body field, whatever the type. */
  public static final List<String> BODY_FIELDS = List.of("token", "use", "revocation");

  private final String wireName;
  private final String bodyField;

  EventType(String wireName, String bodyField) {
    this.wireName = wireName;
    this.bodyField = bodyField;
  }

  /** The value of the {@code type} field, e.g. {@code token.issued}. */
  public String wireName() {
    return wireName;
  }

  /** The JSON field that carries this type's body: {@code token}, {@code use} or {@code revocation}. */
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

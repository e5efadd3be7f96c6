package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Whether a revoked token concerns a subject added to a stream. A token matches a subject that
 * names it or any token of its chain (a receiver following a grant hears of everything derived from
 * it): {@code opaque} by id, {@code jwt_id} by jti (and issuer, when the subject gives one), {@code
 * complex} when every member it has matches ({@code tenant} as an opaque id, {@code session} as
 * above, {@code user} as the principal in {@code opaque}, {@code email} or {@code iss_sub} form),
 * as SSF 1.0 section 3 says for complex subjects.
 */
public final class SubjectFilter {
  private SubjectFilter() {}

  /** The facts about one revoked token that subjects are matched against. */
  public record Facts(
      String tenant, String tokenId, List<String> chain, String issuer, String principal) {}

  /**
   * @return true when {@code facts} match one of {@code subjects}
   */
  public static boolean matchesAny(List<JsonNode> subjects, Facts facts) {
    return subjects.stream().anyMatch(s -> matches(s, facts));
  }

  /**
   * @return true when {@code facts} match {@code subject}
   */
  public static boolean matches(JsonNode subject, Facts facts) {
    String format = subject.path("format").asText("");
    return switch (format) {
      case "opaque" -> token(facts, subject.path("id").asText(null));
      case "jwt_id" ->
          token(facts, subject.path("jti").asText(null))
              && (!subject.hasNonNull("iss") || subject.get("iss").asText().equals(facts.issuer()));
      case "complex" -> complex(subject, facts);
      default -> false;
    };
  }

  private static boolean complex(JsonNode subject, Facts facts) {
    boolean any = false;
    for (Map.Entry<String, JsonNode> member : subject.properties()) {
      if ("format".equals(member.getKey())) {
        continue;
      }
      any = true;
      JsonNode value = member.getValue();
      boolean ok =
          switch (member.getKey()) {
            case "tenant" -> facts.tenant().equals(value.path("id").asText(null));
            case "session" -> matches(value, facts);
            case "user" -> user(value, facts.principal());
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return any;
  }

  private static boolean user(JsonNode user, String principal) {
    if (principal == null) {
      return false;
    }
    return switch (user.path("format").asText("")) {
      case "opaque" -> principal.equals(user.path("id").asText(null));
      case "email" -> principal.equals(user.path("email").asText(null));
      case "iss_sub" -> principal.equals(user.path("sub").asText(null));
      default -> false;
    };
  }

  private static boolean token(Facts facts, String id) {
    return id != null && (id.equals(facts.tokenId()) || facts.chain().contains(id));
  }
}

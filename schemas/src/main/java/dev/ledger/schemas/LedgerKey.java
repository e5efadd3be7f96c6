package dev.ledger.schemas;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key of every ledger topic: {@code tenant/token_id}.
 *
 * <p>A tenant never contains {@code /} (CONTRACT.md section 1), so the first slash splits the key
 * and a token id may itself contain slashes. Use {@link #of(String, String)} to build one and
 * {@link #parse(String)} to read one back.
 *
 * @param tenant the tenant, never null or empty
 * @param tokenId the token id, never null or empty
 */
public record LedgerKey(String tenant, String tokenId) {

  /** The tenant used when an event names none. */
  public static final String DEFAULT_TENANT = "default";

  /**
   * The tenant rule of CONTRACT.md section 1, the one place it is written: letters, digits, {@code
   * .}, {@code _} and {@code -}, at least one. Its length is bounded apart, by {@link
   * LedgerLimits#maxTenantLength()}.
   */
  private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  /** The characters of {@link #TENANT_NAME} as every validator words them in a problem. */
  public static final String TENANT_CHARACTERS = "A-Z a-z 0-9 . _ -";

  /**
   * The whole tenant rule as a problem words it, {@code 1..<maxLength> of A-Z a-z 0-9 . _ -}, so
   * that no validator writes it out again.
   */
  public static String tenantRule(int maxLength) {
    return "1.." + maxLength + " of " + TENANT_CHARACTERS;
  }

  /** {@link #tenantRule(int)} with the default limit. */
  public static String tenantRule() {
    return tenantRule(LedgerLimits.DEFAULTS.maxTenantLength());
  }

  public LedgerKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tokenId, "tokenId");
    if (tenant.isEmpty() || tenant.indexOf('/') >= 0) {
      throw new IllegalArgumentException("tenant must be non-empty and contain no '/': " + tenant);
    }
    if (tokenId.isEmpty()) {
      throw new IllegalArgumentException("tokenId must be non-empty");
    }
  }

  /**
   * True when {@code name} is a tenant name of at most {@code maxLength} characters (the validators
   * pass their configured {@link LedgerLimits#maxTenantLength()}); false for null.
   */
  public static boolean isTenantName(String name, int maxLength) {
    return name != null && name.length() <= maxLength && hasTenantCharacters(name);
  }

  /**
   * True when {@code name} is non-empty and made only of the characters a tenant may hold, whatever
   * its length (for a validator that reports an over-long tenant apart); false for null.
   */
  public static boolean hasTenantCharacters(String name) {
    return name != null && TENANT_NAME.matcher(name).matches();
  }

  /** {@link #isTenantName(String, int)} with the default limit. */
  public static boolean isTenantName(String name) {
    return isTenantName(name, LedgerLimits.DEFAULTS.maxTenantLength());
  }

  public static LedgerKey of(String tenant, String tokenId) {
    return new LedgerKey(tenant, tokenId);
  }

  /**
   * The key of {@code event}: its tenant and the {@code token_id} of its body; throws {@link
   * IllegalArgumentException} when it has no body.
   */
  public static LedgerKey of(LedgerEvent event) {
    String tokenId =
        event.getToken() != null
            ? event.getToken().getTokenId()
            : event.getUse() != null
                ? event.getUse().getTokenId()
                : event.getRevocation() != null ? event.getRevocation().getTokenId() : null;
    if (tokenId == null) {
      throw new IllegalArgumentException("event " + event.getEventId() + " has no body");
    }
    return new LedgerKey(event.getTenant(), tokenId);
  }

  /**
   * Reads a {@code tenant/token_id} key; throws {@link IllegalArgumentException} if it has no
   * slash.
   */
  public static LedgerKey parse(String key) {
    Objects.requireNonNull(key, "key");
    int slash = key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      throw new IllegalArgumentException("not a tenant/token_id key: " + key);
    }
    return new LedgerKey(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The wire form, {@code tenant/token_id}. */
  @Override
  public String toString() {
    return tenant + "/" + tokenId;
  }
}

package dev.ledger.api.auth;

import dev.ledger.api.auth.internal.KeyFile;
import dev.ledger.api.auth.internal.StoredKey;
import dev.ledger.schemas.LedgerKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * API keys kept hashed in a keys file (JSON lines; a JSON array is read too), reloaded when the
 * file changes on disk so that {@code ledger keys revoke} in another process takes effect on a
 * running server within {@link #RECHECK_NANOS}.
 *
 * <p>A key reads {@code ldg_<keyId>_<secret>} where the secret is 32 random bytes in base64url.
 * Only the SHA-256 of the secret is stored. A fast hash is enough here: the secret has 256 bits of
 * entropy, so there is nothing to brute-force that a slow password hash (bcrypt, argon2) would
 * protect; it would only cost CPU on every request.
 *
 * <p>Thread-safe. Several processes may create and revoke keys in the same file: writes take a lock
 * file and replace the keys file atomically.
 */
public final class ApiKeyStore implements KeyStore {
  /** How often, at most, {@link #authenticate} looks at the file's size and modification time. */
  public static final long RECHECK_NANOS = 200_000_000L;

  private static final String PREFIX = "ldg_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyFile file;
  private volatile Map<String, StoredKey> keys;
  private volatile long checkedAt;

  private ApiKeyStore(KeyFile file) {
    this.file = file;
    this.keys = file.read();
    this.checkedAt = System.nanoTime();
  }

  /**
   * Opens (creating parent directories and an empty file with owner-only permissions when missing)
   * a keys file.
   *
   * @param file the keys file, not null
   * @return the store
   * @throws UncheckedIOException when the file cannot be created or read
   */
  public static ApiKeyStore open(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new ApiKeyStore(KeyFile.open(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open keys file " + file, e);
    }
  }

  /**
   * Creates and stores a new key holding a role's preset.
   *
   * @param role not null
   * @param tenant a tenant name or {@code *}
   * @param label free text, may be null
   * @return the key, whose {@link CreatedKey#secret()} is never shown again
   * @throws IllegalArgumentException when the tenant is not valid
   */
  public CreatedKey create(Role role, String tenant, String label) {
    Objects.requireNonNull(role, "role");
    return create(role, null, tenant, label);
  }

  /**
   * Creates and stores a new key holding exactly {@code permissions}.
   *
   * @param permissions not null, not empty
   * @param tenant a tenant name or {@code *}
   * @param label free text, may be null
   * @return the key, whose {@link CreatedKey#secret()} is never shown again
   * @throws IllegalArgumentException when the tenant is not valid or no permission is given
   */
  public CreatedKey create(Set<Permission> permissions, String tenant, String label) {
    Objects.requireNonNull(permissions, "permissions");
    return create(null, permissions, tenant, label);
  }

  private CreatedKey create(Role role, Set<Permission> permissions, String tenant, String label) {
    if (!Tenants.isCredentialTenant(tenant)) {
      throw new IllegalArgumentException(
          "invalid tenant '" + tenant + "' (expected " + LedgerKey.tenantRule() + " or *)");
    }
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secretBytes);
    String keyId = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    KeyInfo info =
        new KeyInfo(
            keyId,
            role,
            permissions,
            tenant,
            label,
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            null);
    StoredKey stored = new StoredKey(info, sha256(secret));
    keys =
        file.update(
            current -> {
              Map<String, StoredKey> next = new LinkedHashMap<>(current);
              next.put(keyId, stored);
              return next;
            });
    return new CreatedKey(keyId, PREFIX + keyId + "_" + secret, info);
  }

  /**
   * @return every key, revoked ones included, oldest first
   */
  public List<KeyInfo> list() {
    reloadIfChanged(true);
    return keys.values().stream().map(StoredKey::info).toList();
  }

  /**
   * Revokes a key; authentication with it fails from now on, in this process at once and in others
   * within {@link #RECHECK_NANOS}.
   *
   * @param keyId the key's id (the whole key is accepted too)
   * @return true when an active key was revoked, false when it is unknown or already revoked
   */
  public boolean revoke(String keyId) {
    String id = idOf(keyId);
    boolean[] revoked = {false};
    keys =
        file.update(
            current -> {
              StoredKey key = current.get(id);
              if (key == null || !key.info().active()) {
                return current;
              }
              Map<String, StoredKey> next = new LinkedHashMap<>(current);
              next.put(id, key.revoked(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
              revoked[0] = true;
              return next;
            });
    return revoked[0];
  }

  @Override
  public Optional<Caller> authenticate(String presented) {
    if (presented == null || !presented.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int split = presented.indexOf('_', PREFIX.length());
    if (split < 0) {
      return Optional.empty();
    }
    reloadIfChanged(false);
    StoredKey key = keys.get(presented.substring(PREFIX.length(), split));
    if (key == null || !key.info().active()) {
      return Optional.empty();
    }
    // Constant-time: the time taken must not tell how many leading bytes of a guess were right.
    if (!MessageDigest.isEqual(sha256(presented.substring(split + 1)), key.sha256())) {
      return Optional.empty();
    }
    KeyInfo info = key.info();
    return Optional.of(new Caller(info.keyId(), info.permissions(), info.tenant(), null));
  }

  private void reloadIfChanged(boolean now) {
    long t = System.nanoTime();
    if (!now && t - checkedAt < RECHECK_NANOS) {
      return;
    }
    checkedAt = t;
    Map<String, StoredKey> reloaded = file.readIfChanged();
    if (reloaded != null) {
      keys = reloaded;
    }
  }

  private static String idOf(String keyIdOrKey) {
    Objects.requireNonNull(keyIdOrKey, "keyId");
    if (keyIdOrKey.startsWith(PREFIX)) {
      int split = keyIdOrKey.indexOf('_', PREFIX.length());
      return split < 0
          ? keyIdOrKey.substring(PREFIX.length())
          : keyIdOrKey.substring(PREFIX.length(), split);
    }
    return keyIdOrKey;
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

package dev.ledger.api.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.auth.KeyInfo;
import dev.ledger.api.auth.Permission;
import dev.ledger.api.auth.Role;
import dev.ledger.api.auth.Tenants;
import dev.ledger.schemas.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys file on disk: one JSON object per line ({@code key_id, role, tenant, label, created_at,
 * revoked_at, sha256}); a file holding one JSON array of such objects is read as well. A key
 * created with an explicit permission list has {@code permissions} (an array of names) instead of
 * {@code role}; files written before permissions existed have only roles and read unchanged.
 * Unreadable lines are skipped with a warning so one bad edit cannot lock every caller out.
 */
public final class KeyFile {
  private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final Path lockPath;
  private Stamp stamp;

  private KeyFile(Path path) {
    this.path = path;
    this.lockPath = path.resolveSibling(path.getFileName() + ".lock");
  }

  /** Opens the file, creating its directories and an empty owner-only file when missing. */
  public static KeyFile open(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    try {
      PrivateFiles.createFile(absolute);
    } catch (FileAlreadyExistsException e) {
      // Kept as it is: an operator may have chosen its permissions.
    }
    return new KeyFile(absolute);
  }

  /**
   * @return every key in the file, in file order
   */
  public synchronized Map<String, StoredKey> read() {
    try {
      Stamp before = Stamp.of(path);
      Map<String, StoredKey> keys = parse(Files.readString(path, StandardCharsets.UTF_8));
      stamp = before;
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keys file " + path, e);
    }
  }

  /**
   * @return the keys when the file changed since the last read or write, else null; null on a read
   *     error too
   */
  public synchronized Map<String, StoredKey> readIfChanged() {
    try {
      if (Stamp.of(path).equals(stamp)) {
        return null;
      }
      return read();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn(
          "keys file {} could not be re-read, keeping the keys already loaded: {}",
          path,
          e.getMessage());
      return null;
    }
  }

  /**
   * Reads the file under an exclusive lock, applies {@code change}, and writes the result
   * atomically when it differs.
   *
   * @return the keys after the change
   */
  public synchronized Map<String, StoredKey> update(UnaryOperator<Map<String, StoredKey>> change) {
    try (FileChannel channel =
            FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      Map<String, StoredKey> current = read();
      Map<String, StoredKey> next = change.apply(current);
      if (next != current) {
        write(next);
      }
      return Collections.unmodifiableMap(next);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update keys file " + path, e);
    }
  }

  private void write(Map<String, StoredKey> keys) throws IOException {
    StringBuilder text = new StringBuilder();
    for (StoredKey key : keys.values()) {
      text.append(JSON.writeValueAsString(toJson(key))).append('\n');
    }
    Path tmp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
    try {
      restrict(tmp);
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    stamp = Stamp.of(path);
  }

  private Map<String, StoredKey> parse(String text) {
    Map<String, StoredKey> keys = new LinkedHashMap<>();
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      try {
        for (JsonNode node : JSON.readTree(trimmed)) {
          add(keys, node, "entry");
        }
      } catch (IOException e) {
        LOG.warn("keys file {} is not a valid JSON array: {}", path, e.getMessage());
      }
      return keys;
    }
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        add(keys, JSON.readTree(line), "line " + lineNo);
      } catch (IOException e) {
        LOG.warn("keys file {} line {} is not JSON, skipped", path, lineNo);
      }
    }
    return keys;
  }

  private void add(Map<String, StoredKey> keys, JsonNode node, String where) {
    try {
      StoredKey key = fromJson(node);
      keys.put(key.info().keyId(), key);
    } catch (RuntimeException e) {
      LOG.warn("keys file {} {} skipped: {}", path, where, e.getMessage());
    }
  }

  private static ObjectNode toJson(StoredKey key) {
    KeyInfo i = key.info();
    ObjectNode node = JSON.createObjectNode();
    node.put("key_id", i.keyId());
    if (i.role() != null) {
      node.put("role", i.role().id());
    } else {
      ArrayNode permissions = node.putArray("permissions");
      i.permissions().forEach(p -> permissions.add(p.id()));
    }
    node.put("tenant", i.tenant());
    node.put("label", i.label());
    node.put("created_at", i.createdAt().toString());
    node.put("revoked_at", i.revokedAt() == null ? null : i.revokedAt().toString());
    node.put("sha256", Base64.getUrlEncoder().withoutPadding().encodeToString(key.sha256()));
    return node;
  }

  private static StoredKey fromJson(JsonNode node) {
    String keyId = required(node, "key_id");
    String tenant = required(node, "tenant");
    if (!Tenants.isCredentialTenant(tenant)) {
      throw new IllegalArgumentException("invalid tenant '" + tenant + "'");
    }
    byte[] hash = Base64.getUrlDecoder().decode(required(node, "sha256"));
    if (hash.length != 32) {
      throw new IllegalArgumentException("sha256 is not 32 bytes");
    }
    KeyInfo info =
        new KeyInfo(
            keyId,
            role(node),
            permissions(node),
            tenant,
            optional(node, "label"),
            Instant.parse(required(node, "created_at")),
            instant(optional(node, "revoked_at")));
    return new StoredKey(info, hash);
  }

  /**
   * The key's role; null for a key with an explicit permission list. A line with both or neither is
   * refused.
   */
  private static Role role(JsonNode node) {
    String role = optional(node, "role");
    if ((role == null) == (node.get("permissions") == null)) {
      throw new IllegalArgumentException("needs either role or permissions");
    }
    return role == null ? null : Role.parse(role);
  }

  private static Set<Permission> permissions(JsonNode node) {
    JsonNode list = node.get("permissions");
    if (list == null) {
      return null;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("permissions is not an array");
    }
    List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(n.asText()));
    return Permission.parseAll(names);
  }

  private static String required(JsonNode node, String field) {
    return Objects.requireNonNull(optional(node, field), field + " is missing");
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): its ACLs are left to the operator.
    }
  }

  /**
   * What tells that the file was replaced or edited: atomic replacement gives a new file key
   * (inode).
   */
  private record Stamp(Object fileKey, long size, long modifiedNanos) {
    static Stamp of(Path path) throws IOException {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return new Stamp(
          a.fileKey(),
          a.size(),
          a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }
  }
}

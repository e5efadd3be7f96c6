package dev.ledger.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreTest {
  @TempDir Path dir;

  @Test
  void createdKeyAuthenticatesWithItsRoleAndTenant() {
    ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    CreatedKey key = store.create(Role.auditor, "acme", "ci");

    assertThat(key.secret()).startsWith("ldg_" + key.keyId() + "_");
    assertThat(store.authenticate(key.secret()))
        .contains(new Caller(key.keyId(), Role.auditor, "acme"));
    assertThat(key.toString()).doesNotContain(key.secret());
  }

  @Test
  void wrongMalformedAndForeignKeysAreRefused() {
    ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    CreatedKey key = store.create(Role.admin, "*", null);
    String secret = key.secret();
    char last = secret.charAt(secret.length() - 1);

    assertThat(
            store.authenticate(
                secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A')))
        .isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate("ldg_")).isEmpty();
    assertThat(store.authenticate("ldg_" + key.keyId())).isEmpty();
    assertThat(store.authenticate("ldg_ffffffffffffffff_" + secretPart(key))).isEmpty();
    assertThat(store.authenticate("Bearer " + secret)).isEmpty();
  }

  @Test
  void onlyTheHashIsStoredInAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("nested/dir/keys.jsonl");
    ApiKeyStore store = ApiKeyStore.open(file);
    CreatedKey key = store.create(Role.producer, "acme", "gateway");

    String text = Files.readString(file);
    assertThat(text).doesNotContain(secretPart(key));
    assertThat(text).contains("\"key_id\":\"" + key.keyId() + "\"", "\"sha256\":");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void revokedKeyIsRefusedAndListed() {
    ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    CreatedKey keep = store.create(Role.auditor, "acme", "keep");
    CreatedKey drop = store.create(Role.auditor, "acme", "drop");

    assertThat(store.revoke(drop.keyId())).isTrue();
    assertThat(store.revoke(drop.keyId())).isFalse();
    assertThat(store.revoke("unknown")).isFalse();

    assertThat(store.authenticate(drop.secret())).isEmpty();
    assertThat(store.authenticate(keep.secret())).isPresent();
    assertThat(store.list()).extracting(KeyInfo::keyId).containsExactly(keep.keyId(), drop.keyId());
    assertThat(store.list())
        .filteredOn(KeyInfo::active)
        .extracting(KeyInfo::keyId)
        .containsExactly(keep.keyId());
  }

  @Test
  void revocationByAnotherProcessTakesEffectOnARunningStore() {
    Path file = dir.resolve("keys.jsonl");
    ApiKeyStore server = ApiKeyStore.open(file);
    CreatedKey key = server.create(Role.auditor, "acme", null);
    assertThat(server.authenticate(key.secret())).isPresent();

    // A second store on the same file stands for `ledger keys revoke` in another JVM.
    ApiKeyStore cli = ApiKeyStore.open(file);
    assertThat(cli.revoke(key.secret())).isTrue();

    await().atMost(Duration.ofSeconds(3)).until(() -> server.authenticate(key.secret()).isEmpty());
    // And keys the CLI creates become usable without a restart.
    CreatedKey later = cli.create(Role.producer, "acme", null);
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> server.authenticate(later.secret()).isPresent());
  }

  @Test
  void readsAJsonArrayFileAndSkipsBrokenEntries() throws Exception {
    Path file = dir.resolve("keys.jsonl");
    ApiKeyStore writer = ApiKeyStore.open(file);
    CreatedKey key = writer.create(Role.admin, "*", "root");
    String line = Files.readString(file).strip();
    Files.writeString(
        file,
        "["
            + line
            + ", {\"key_id\": \"broken\"}, {\"key_id\": \"x\", \"role\": \"king\","
            + " \"tenant\": \"*\", \"created_at\": \"2026-01-01T00:00:00Z\", \"sha256\": \"AAAA\"}]");

    ApiKeyStore reader = ApiKeyStore.open(file);
    assertThat(reader.list()).extracting(KeyInfo::keyId).containsExactly(key.keyId());
    assertThat(reader.authenticate(key.secret()))
        .map(Caller::permissions)
        .contains(Role.admin.permissions());
  }

  @Test
  void invalidTenantIsRefusedAtCreation() {
    ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.jsonl"));
    assertThatThrownBy(() -> store.create(Role.auditor, "a/b", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> store.create(Role.auditor, "", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aKeyWithAnExplicitPermissionListHoldsExactlyThemAfterAReload() throws Exception {
    Path file = dir.resolve("keys.jsonl");
    CreatedKey key =
        ApiKeyStore.open(file)
            .create(
                EnumSet.of(Permission.EVENTS_USE, Permission.READ_REVOCATIONS),
                "acme",
                "resource server");

    assertThat(Files.readString(file))
        .contains("\"permissions\":[\"events:use\",\"read:revocations\"]")
        .doesNotContain("\"role\"");
    ApiKeyStore reader = ApiKeyStore.open(file);
    assertThat(reader.authenticate(key.secret()))
        .contains(
            new Caller(
                key.keyId(),
                Set.of(Permission.EVENTS_USE, Permission.READ_REVOCATIONS),
                "acme",
                null));
    assertThat(reader.list())
        .singleElement()
        .satisfies(
            info -> {
              assertThat(info.role()).isNull();
              assertThat(info.grants()).isEqualTo("events:use,read:revocations");
            });
    assertThatThrownBy(() -> reader.create(Set.of(), "acme", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeysFileWrittenBeforePermissionsExistedKeepsWorking() throws Exception {
    // A line exactly as earlier versions wrote it: a role, no permissions.
    String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
    String hash =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
    Path file = dir.resolve("keys.jsonl");
    Files.writeString(
        file,
        "{\"key_id\":\"00112233aabbccdd\",\"role\":\"producer\",\"tenant\":\"acme\","
            + "\"label\":\"gateway\",\"created_at\":\"2026-11-01T00:00:00Z\",\"revoked_at\":null,"
            + "\"sha256\":\""
            + hash
            + "\"}\n");

    ApiKeyStore store = ApiKeyStore.open(file);
    assertThat(store.authenticate("ldg_00112233aabbccdd_" + secret))
        .contains(new Caller("00112233aabbccdd", Role.producer, "acme"));
    store.create(Role.resource_server, "acme", null); // rewrites the file
    assertThat(Files.readString(file))
        .contains("\"role\":\"producer\"", "\"role\":\"resource-server\"");
    assertThat(ApiKeyStore.open(file).authenticate("ldg_00112233aabbccdd_" + secret)).isPresent();
  }

  @Test
  void aLineWithBothARoleAndPermissionsIsSkipped() throws Exception {
    Path file = dir.resolve("keys.jsonl");
    Files.writeString(
        file,
        "{\"key_id\":\"ab\",\"role\":\"auditor\",\"permissions\":[\"export\"],"
            + "\"tenant\":\"acme\",\"created_at\":\"2026-11-01T00:00:00Z\",\"sha256\":\""
            + "A".repeat(43)
            + "\"}\n"
            + "{\"key_id\":\"cd\",\"permissions\":[\"export\",\"fly\"],"
            + "\"tenant\":\"acme\",\"created_at\":\"2026-11-01T00:00:00Z\",\"sha256\":\""
            + "A".repeat(43)
            + "\"}\n");
    assertThat(ApiKeyStore.open(file).list()).as("ambiguous, and an unknown permission").isEmpty();
  }

  /** The random part of a key ({@code ldg_<keyId>_<secret>}); base64url may itself contain '_'. */
  private static String secretPart(CreatedKey key) {
    return key.secret().substring(("ldg_" + key.keyId() + "_").length());
  }
}

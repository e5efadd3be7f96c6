package dev.ledger.ops.cli;

import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.CreatedKey;
import dev.ledger.api.auth.KeyInfo;
import dev.ledger.api.auth.Permission;
import dev.ledger.api.auth.Role;
import dev.ledger.runtime.config.ConfigKey;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ledger keys create|list|revoke}: manage API keys in the keys file (a running server picks
 * changes up).
 */
@Command(
    name = "keys",
    description = "Manage API keys (kept hashed in the keys file).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  ApiKeyStore store() {
    return ApiKeyStore.open(options.load().dataPath(ConfigKey.KEYS_FILE));
  }

  @Command(name = "create", description = "Create a key and print it once.")
  static final class Create implements Runnable {
    @ParentCommand KeysCommand parent;

    /** Exactly one of a role (a preset) or an explicit permission list. */
    static final class Grant {
      @Option(
          names = "--role",
          required = true,
          description = "a preset: auditor, producer, admin, resource-server or subscriber")
      String role;

      @Option(
          names = "--permissions",
          required = true,
          paramLabel = "LIST",
          description =
              "comma-separated permissions instead of a role: events:issue, events:use, events:revoke,"
                  + " read:audit, read:tokens, read:revocations, export, keys:admin, ssf:manage")
      String permissions;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Grant grant;

    @Option(names = "--tenant", required = true, description = "a tenant, or * for all tenants")
    String tenant;

    @Option(names = "--label", description = "a note for 'keys list'")
    String label;

    @Override
    public void run() {
      CreatedKey key;
      try {
        String note = label == null ? "" : label;
        key =
            grant.role != null
                ? parent.store().create(Role.parse(grant.role), tenant, note)
                : parent.store().create(Permission.parseAll(grant.permissions), tenant, note);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
      PrintWriter out = parent.spec.commandLine().getOut();
      out.println(key.secret());
      out.flush();
      System.err.printf(
          "created key %s (%s, tenant %s); it is shown only now.%n",
          key.keyId(), key.info().grants(), tenant);
    }
  }

  @Command(name = "list", description = "List keys (never their secrets).")
  static final class ListKeys implements Runnable {
    @ParentCommand KeysCommand parent;

    @Override
    public void run() {
      PrintWriter out = parent.spec.commandLine().getOut();
      out.printf(
          "%-24s %-15s %-20s %-22s %-22s %s%n",
          "ID", "ROLE/PERMISSIONS", "TENANT", "CREATED", "REVOKED", "LABEL");
      for (KeyInfo k : parent.store().list()) {
        out.printf(
            "%-24s %-15s %-20s %-22s %-22s %s%n",
            k.keyId(),
            k.grants(),
            k.tenant(),
            k.createdAt(),
            k.revokedAt() == null ? "-" : k.revokedAt(),
            k.label() == null ? "" : k.label());
      }
      out.flush();
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke a key by id; requests with it get 401 from then on.")
  static final class Revoke implements Runnable {
    @ParentCommand KeysCommand parent;

    @Parameters(paramLabel = "ID")
    String keyId;

    @Override
    public void run() {
      if (!parent.store().revoke(keyId)) {
        throw new UserException("no active key with id " + keyId + " (see 'ledger keys list')");
      }
      parent.spec.commandLine().getOut().println("revoked " + keyId);
      parent.spec.commandLine().getOut().flush();
    }
  }
}

package dev.ledger.ops.cli;

import dev.ledger.ops.client.ApiClient;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How auditor and producer commands reach the API: address, key and tenant. */
public final class ClientOptions {

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:LEDGER_URL:-http://127.0.0.1:8080}",
      description = "the ledger API (default: $LEDGER_URL or http://127.0.0.1:8080)")
  String url;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description = "API key (default: $LEDGER_KEY, else <data-dir>/admin.key)")
  String key;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "where admin.key is (default: data)")
  Path dataDir;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description = "tenant to read or write (a '*' key needs it; default: default)")
  String tenant;

  ApiClient client() {
    URI base;
    try {
      base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new UserException("--url is not a URL: " + url);
    }
    return new ApiClient(base, ApiClient.resolveKey(key, dataDir.resolve("admin.key")));
  }

  String tenant() {
    return tenant;
  }
}

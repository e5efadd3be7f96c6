package dev.ledger.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The contract's example batch and answer (docs/examples, copied into the test resources by the
 * build).
 */
public final class Examples {

  private Examples() {}

  /** {@code quickstart.ndjson}: six events, one per line. */
  public static String quickstartNdjson() {
    return read("examples/quickstart.ndjson");
  }

  /**
   * {@code token-response.json}: what {@code GET /v1/tokens/tok-flights-lhr?tenant=acme} answers.
   */
  public static String tokenResponseJson() {
    return read("examples/token-response.json");
  }

  private static String read(String resource) {
    try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

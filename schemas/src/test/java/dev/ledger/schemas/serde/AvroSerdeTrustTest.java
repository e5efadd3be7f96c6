package dev.ledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.RevocationNotice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application that embeds the schemas (a resource server decoding notices) must not need Avro's
 * SERIALIZABLE_PACKAGES flag: decoding through {@link AvroSerde} works in a JVM started without it.
 * The tests' own JVM has the flag, so this runs {@link Embedder} in a fresh one.
 */
class AvroSerdeTrustTest {

  /** Decodes a notice through AvroSerde and prints its token id; run without the flag. */
  public static final class Embedder {
    public static void main(String[] args) {
      AvroSerde<RevocationNotice> serde = AvroSerde.of(RevocationNotice.class);
      RevocationNotice notice = new RevocationNotice();
      notice.setTenant("acme");
      notice.setTokenId("tok-1");
      notice.setRootId("tok-0");
      notice.setRevokedAt(Instant.parse("2026-11-23T12:00:00Z"));
      notice.setRevocationCause("tok-0");
      notice.setNotifiedAt(Instant.parse("2026-11-23T12:00:01Z"));
      System.out.print(serde.decode(serde.encode(notice)).getTokenId());
    }
  }

  @Test
  void decodingThroughTheSerdeNeedsNoFlag() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), Embedder.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the embedder finishes").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).as("no flag, decoded anyway").endsWith("tok-1");
    assertThat(process.exitValue()).isZero();
  }
}

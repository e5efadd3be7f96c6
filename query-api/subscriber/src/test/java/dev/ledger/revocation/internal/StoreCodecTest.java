package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.revocation.Revocation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte layouts of the RocksDB store's keys and values. */
class StoreCodecTest {

  @Test
  void keysAreTheUtf8BytesStringGetBytesGives() {
    Random random = new Random(7);
    StoreKey key = new StoreKey();
    for (int n = 0; n < 5_000; n++) {
      char[] chars = new char[random.nextInt(40)];
      for (int i = 0; i < chars.length; i++) {
        // ASCII, Latin, CJK and surrogates, paired or not.
        chars[i] =
            switch (random.nextInt(4)) {
              case 0 -> (char) (32 + random.nextInt(95));
              case 1 -> (char) (0x80 + random.nextInt(0x780));
              case 2 -> (char) (0x800 + random.nextInt(0xd000));
              default -> (char) (0xd800 + random.nextInt(0x800));
            };
      }
      String token = new String(chars);
      key.of("acme", token);
      assertThat(Arrays.copyOf(key.bytes(), key.length()))
          .as(token)
          .isEqualTo(("acme/" + token).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aValueIsAFewBytesAndReadsBackWhole() {
    Instant at = Instant.parse("2026-03-01T12:00:00.250Z");
    StoreValue value = new StoreValue();
    Revocation self =
        new Revocation("acme", "tok-0000001", at, "tok-0000001", at.plusSeconds(3600));
    assertThat(value.of(self).length())
        .as("flags + 6-byte time + 4-byte one-hour lifetime")
        .isEqualTo(11);
    assertThat(value.decode("acme", "tok-0000001", value.length())).isEqualTo(self);
    Revocation inherited = new Revocation("acme", "tok-0000002", at, "root-000001", null);
    assertThat(value.of(inherited).length()).isEqualTo(1 + 6 + 11);
    assertThat(value.decode("acme", "tok-0000002", value.length())).isEqualTo(inherited);
  }
}

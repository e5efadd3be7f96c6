package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags the {@code ./ledger} launcher gives the ledger: a heap limit and exit on
 * OutOfMemoryError.
 */
class LauncherTest {

  private record Run(int exit, String out, String err) {}

  private static Run flags(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            "bash", ReadmeSnippets.repoRoot().resolve("ledger").toString(), "jvm-flags");
    builder.environment().remove("LEDGER_HEAP");
    builder.environment().putAll(env);
    Process p = builder.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theDefaultHeapIsAQuarterOfTheMemoryBetween256MbAnd400MbAndOomExits() throws Exception {
    Run run = flags(Map.of());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("-XX:+ExitOnOutOfMemoryError");
    // A fixed marking threshold: G1's adaptive one sat at the ledger's steady old generation.
    assertThat(run.out())
        .contains("-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=70");
    Matcher heap = Pattern.compile("-Xmx(\\d+)m").matcher(run.out());
    assertThat(heap.find()).as(run.out()).isTrue();
    assertThat(Integer.parseInt(heap.group(1))).isBetween(256, 400);
  }

  @Test
  void ledgerHeapSetsTheHeapAndIsChecked() throws Exception {
    assertThat(flags(Map.of("LEDGER_HEAP", "300m")).out())
        .contains("-Xmx300m")
        .doesNotContain("-Xmx400m");
    Run bad = flags(Map.of("LEDGER_HEAP", "lots"));
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("LEDGER_HEAP=lots");
  }
}

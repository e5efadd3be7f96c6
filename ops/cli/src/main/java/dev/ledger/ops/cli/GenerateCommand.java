package dev.ledger.ops.cli;

import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledger generate}: writes a deterministic synthetic workload as NDJSON (to a file or
 * stdout).
 */
@Command(
    name = "generate",
    description = "Write a synthetic, deterministic workload of agent delegation events as NDJSON.")
public final class GenerateCommand implements Runnable {

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--trees", defaultValue = "1000", description = "root grants (default: 1000)")
  int trees;

  @Option(names = "--tenants", defaultValue = "1")
  int tenants;

  @Option(names = "--users", defaultValue = "100")
  int users;

  @Option(
      names = "--depth",
      defaultValue = "3",
      description = "delegation depth below each root (default: 3)")
  int depth;

  @Option(names = "--fanout", defaultValue = "2", description = "children per token (default: 2)")
  int fanout;

  @Option(names = "--uses", defaultValue = "2", description = "uses per token (default: 2)")
  int uses;

  @Option(
      names = "--violations",
      defaultValue = "0.05",
      description = "share of rule-breaking hops and uses")
  double violations;

  @Option(
      names = "--revocations",
      defaultValue = "0.02",
      description = "share of trees with a revocation")
  double revocations;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write here instead of stdout")
  Path output;

  @Override
  public void run() {
    WorkloadSpec spec;
    try {
      spec =
          WorkloadSpec.builder()
              .seed(seed)
              .trees(trees)
              .tenants(tenants)
              .users(users)
              .depth(depth)
              .fanout(fanout)
              .usesPerToken(uses)
              .violationShare(violations)
              .revocationShare(revocations)
              .build();
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
    long count = 0;
    long t0 = System.nanoTime();
    try (Writer w =
        output == null
            ? new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(output)) {
      Progress progress = new Progress("generate", -1);
      for (String line : WorkloadGenerator.events(spec)) {
        w.write(line);
        w.write('\n');
        count++;
        progress.update(count, 0);
      }
      w.flush();
      progress.done(count, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (output != null) {
      System.err.printf(
          "wrote %,d events (%d trees of %d tokens) to %s in %.1f s%n",
          count, trees, spec.tokensPerTree(), output, (System.nanoTime() - t0) / 1e9);
    }
  }
}

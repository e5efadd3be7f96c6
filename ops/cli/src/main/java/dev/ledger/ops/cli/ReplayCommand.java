package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ops.client.ApiClient;
import dev.ledger.ops.client.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledger replay FILE}: sends a JSONL file of events through the API in batches.
 *
 * <p>A batch the ledger rejects is sent again without its bad lines, which are reported (and
 * written to {@code FILE.rejected}) so one bad line never stops the rest. Progress is kept in
 * {@code FILE.replay}: a second run resumes after the last acknowledged batch. Retries after a
 * network error resend the same event ids, which the ledger deduplicates.
 */
@Command(
    name = "replay",
    description =
        "Send a JSONL file of events (or - for stdin) to the ledger, resumable, reporting rejected lines.")
public final class ReplayCommand implements Runnable {

  @Mixin ClientOptions client;

  @Parameters(paramLabel = "FILE", description = "events, one JSON object per line; - for stdin")
  String file;

  @Option(
      names = "--batch",
      defaultValue = "500",
      description = "events per request (default: 500)")
  int batchSize;

  @Option(names = "--restart", description = "ignore saved progress and start from the first line")
  boolean restart;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "attempts per batch on network or 5xx errors")
  int retries;

  @Override
  public void run() {
    ApiClient api = client.client();
    boolean stdin = file.equals("-");
    Path path = stdin ? null : Path.of(file);
    if (!stdin && !Files.isRegularFile(path)) {
      throw new UserException("no such file: " + file);
    }
    Path state = stdin ? null : Path.of(file + ".replay");
    Path rejectedFile = stdin ? null : Path.of(file + ".rejected");
    long skip = stdin || restart ? 0 : savedProgress(state);
    long total = stdin ? -1 : countLines(path);
    Progress progress = new Progress("replay", total);
    long lineNo = 0;
    long sent = 0;
    long rejected = 0;
    if (skip > 0) {
      System.err.printf(
          "replay: resuming after line %,d (saved in %s; --restart to start over)%n", skip, state);
    }
    try (BufferedReader in =
            stdin
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(path);
        PrintWriter rejects =
            rejectedFile == null
                ? new PrintWriter(System.err)
                : new PrintWriter(
                    Files.newBufferedWriter(
                        rejectedFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
      List<Line> batch = new ArrayList<>();
      String text;
      while ((text = in.readLine()) != null) {
        lineNo++;
        if (lineNo <= skip || text.isBlank()) {
          continue;
        }
        batch.add(new Line(lineNo, text));
        if (batch.size() >= batchSize) {
          rejected += send(api, batch, rejects);
          sent += batch.size();
          saveProgress(state, lineNo);
          batch.clear();
          progress.update(sent, rejected);
        }
      }
      if (!batch.isEmpty()) {
        rejected += send(api, batch, rejects);
        sent += batch.size();
        saveProgress(state, lineNo);
      }
      progress.done(sent, rejected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (rejected > 0) {
      throw new UserException(
          String.format(
              "%,d of %,d lines were rejected%s",
              rejected, sent, rejectedFile == null ? " (listed above)" : "; see " + rejectedFile),
          4);
    }
  }

  record Line(long number, String text) {}

  /**
   * Sends a batch; drops and reports lines the ledger names as bad and sends the rest again.
   * Returns how many were rejected.
   */
  private int send(ApiClient api, List<Line> batch, PrintWriter rejects) {
    List<Line> pending = new ArrayList<>(batch);
    int rejected = 0;
    while (!pending.isEmpty()) {
      ApiClient.Response r = postWithRetries(api, pending);
      if (r.status() == 202) {
        return rejected;
      }
      JsonNode details = r.body() == null ? null : r.body().path("error").path("details");
      if ((r.status() != 400 && r.status() != 403)
          || details == null
          || !details.isArray()
          || details.isEmpty()) {
        String message =
            r.body() == null
                ? "HTTP " + r.status()
                : r.body().path("error").path("message").asText();
        throw new UserException(
            "the ledger refused a batch (HTTP "
                + r.status()
                + "): "
                + message
                + "; progress is saved, fix the cause and run again");
      }
      Set<Integer> bad = new HashSet<>();
      for (JsonNode d : details) {
        int index = d.path("index").asInt(-1);
        if (index < 0 || index >= pending.size()) {
          throw new UserException("the ledger rejected the batch as a whole: " + d);
        }
        if (bad.add(index)) {
          rejected++;
        }
        rejects.printf(
            "line %d: %s: %s%n",
            pending.get(index).number(), d.path("field").asText("-"), d.path("reason").asText());
      }
      rejects.flush();
      List<Line> keep = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        if (!bad.contains(i)) {
          keep.add(pending.get(i));
        }
      }
      pending = keep;
    }
    return rejected;
  }

  private ApiClient.Response postWithRetries(ApiClient api, List<Line> lines) {
    StringBuilder body = new StringBuilder();
    lines.forEach(l -> body.append(l.text()).append('\n'));
    for (int attempt = 1; ; attempt++) {
      try {
        ApiClient.Response r = api.postNdjsonRaw("/v1/events", body.toString());
        if (r.status() < 500 && r.status() != 429) {
          return r;
        }
        if (attempt >= retries) {
          return r;
        }
      } catch (ApiException e) {
        if (attempt >= retries) {
          throw new UserException(e.getMessage() + "; progress is saved, run again to resume");
        }
      }
      try {
        Thread.sleep(Math.min(10_000, 200L << attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserException("interrupted; progress is saved");
      }
    }
  }

  private static long savedProgress(Path state) {
    try {
      return Files.exists(state) ? Long.parseLong(Files.readString(state).strip()) : 0;
    } catch (IOException | NumberFormatException e) {
      throw new UserException(
          "cannot read saved progress " + state + " (delete it or use --restart)");
    }
  }

  private static void saveProgress(Path state, long line) {
    if (state == null) {
      return;
    }
    try {
      Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
      Files.writeString(tmp, Long.toString(line));
      Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save progress to " + state, e);
    }
  }

  private static long countLines(Path path) {
    try (var lines = Files.lines(path)) {
      return lines.count();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }
}

package dev.ledger.bench.cluster;

import dev.ledger.bench.ledger.ApiCalls;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Posts events over {@code POST /v1/events} to every API instance at once, as a load balancer
 * spreads clients: each call's events are split into one slice per instance, the slices posted
 * concurrently, and each answer returned with its slice (a batch is all-or-nothing, so a slice is
 * either accepted whole or not at all).
 */
final class SplitPoster {

  /**
   * One slice and what the instance answered.
   *
   * @param instance the instance's index
   * @param lines the events posted (JSON lines)
   * @param status the HTTP status, or 0 when no answer came (refused, reset, timed out)
   * @param body the answer, or why none came
   */
  record Posted(int instance, List<String> lines, int status, String body) {
    boolean accepted() {
      return status == 202;
    }
  }

  private final ApiInstances apis;

  // A virtual thread per slice: a call blocks for as long as the ledger takes to answer. Nothing to
  // shut down: the threads end with their calls.
  private final Executor executor = Executors.newVirtualThreadPerTaskExecutor();

  SplitPoster(ApiInstances apis) {
    this.apis = apis;
  }

  /** Posts {@code lines}, a slice to each instance, and waits for every answer. */
  List<Posted> post(List<String> lines) {
    int n = apis.size();
    List<CompletableFuture<Posted>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int from = lines.size() * i / n;
      int to = lines.size() * (i + 1) / n;
      if (from < to) {
        answers.add(postSlice(i, List.copyOf(lines.subList(from, to))));
      }
    }
    return answers.stream().map(CompletableFuture::join).toList();
  }

  private CompletableFuture<Posted> postSlice(int instance, List<String> slice) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ApiCalls.Answer a =
                apis.api(instance).postNdjson("/v1/events", String.join("\n", slice) + "\n");
            return new Posted(instance, slice, a.status(), a.body());
          } catch (UncheckedIOException e) {
            return new Posted(instance, slice, 0, e.getCause().toString());
          }
        },
        executor);
  }
}

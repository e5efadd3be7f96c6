package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.index.AwaitedEvents;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Read-your-writes on every read the index answers (CONTRACT.md section 4): with {@code
 * after_events=<event id>[,...]} the read is answered once this instance's index has made the
 * records derived from each of those events of the caller's tenant searchable ({@link
 * LedgerIndex#awaitEvents}), or, after {@code max_wait_ms} (default 1000, at most 10000), a 504
 * {@code wait_expired} whose details name the events {@code not_seen}. A client that writes through
 * one instance and reads from another names the events it posted.
 *
 * <p>The wait holds no Jetty thread: the request goes asynchronous ({@code ctx.future}) until the
 * index's refresh listener ends the wait, and the read then runs on a virtual thread of its own, so
 * that one slow read does not hold up the others the same refresh released.
 */
public final class ReadYourWrites implements AutoCloseable {
  /** The events to wait for, comma-separated (the parameter may also be repeated). */
  public static final String AFTER_EVENTS = "after_events";

  /** How long to wait at most, in milliseconds. */
  public static final String MAX_WAIT_MS = "max_wait_ms";

  /** {@link #MAX_WAIT_MS} when absent. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

  private final LedgerIndex index;
  private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param index may be null: then a read that asks to wait answers 503, like the read itself
   */
  public ReadYourWrites(LedgerIndex index) {
    this.index = index;
  }

  /**
   * {@code read} answered after the wait its request asks for, if any; bad wait parameters are a
   * 400 listing every problem with them.
   */
  public Handler around(Handler read) {
    return ctx -> {
      Wait wait = wait(ctx);
      if (wait == null) {
        read.handle(ctx);
        return;
      }
      LedgerIndex idx = Pages.require(index, "the index");
      String tenant = Access.readTenant(ctx, true);
      ctx.future(
          () ->
              idx.awaitEvents(tenant, wait.eventIds(), wait.maxWait())
                  .thenAcceptAsync(awaited -> answer(ctx, read, awaited, wait), reads));
    };
  }

  /** Stops the threads of reads released from their wait (those running finish). */
  @Override
  public void close() {
    reads.close();
  }

  private static void answer(Context ctx, Handler read, AwaitedEvents awaited, Wait wait) {
    if (!awaited.allSeen()) {
      throw new ApiError(
          504,
          "wait_expired",
          awaited.notSeen().size()
              + " of the awaited events are not searchable on this instance after "
              + wait.maxWait().toMillis()
              + " ms",
          Map.of("not_seen", awaited.notSeen()),
          Map.of());
    }
    try {
      read.handle(ctx);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // Javalin answers the future's failure with its cause, through the same exception handlers.
      throw new CompletionException(e);
    }
  }

  /** What the request asks to wait for; null when it names no events. */
  private static Wait wait(Context ctx) {
    List<InvalidQueryException.Problem> problems = new ArrayList<>();
    List<String> values = ctx.queryParams(AFTER_EVENTS);
    List<String> ids = new ArrayList<>();
    int count = 0;
    for (String value : values) {
      for (String id : value.split(",", -1)) {
        count++;
        if (id.isBlank()) {
          problems.add(
              new InvalidQueryException.Problem(AFTER_EVENTS, "event id " + count + " is empty"));
        } else {
          ids.add(id.strip());
        }
      }
    }
    if (count > LedgerIndex.MAX_AWAITED_EVENTS) {
      problems.add(
          new InvalidQueryException.Problem(
              AFTER_EVENTS,
              "at most " + LedgerIndex.MAX_AWAITED_EVENTS + " event ids, got " + count));
    }
    Duration maxWait = maxWait(ctx.queryParam(MAX_WAIT_MS), problems);
    if (!problems.isEmpty()) {
      throw ApiError.invalid(new InvalidQueryException(problems));
    }
    return values.isEmpty() ? null : new Wait(ids, maxWait);
  }

  private static Duration maxWait(String value, List<InvalidQueryException.Problem> problems) {
    if (value == null) {
      return DEFAULT_WAIT;
    }
    long max = LedgerIndex.MAX_EVENT_WAIT.toMillis();
    try {
      long ms = Long.parseLong(value.strip());
      if (ms >= 0 && ms <= max) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException e) {
      // a problem, below
    }
    problems.add(
        new InvalidQueryException.Problem(
            MAX_WAIT_MS, "expected an integer from 0 to " + max + ", got '" + value + "'"));
    return DEFAULT_WAIT;
  }

  private record Wait(List<String> eventIds, Duration maxWait) {}
}

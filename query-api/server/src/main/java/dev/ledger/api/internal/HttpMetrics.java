package dev.ledger.api.internal;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} tagged {@code method}, {@code route} (the
 * matched path template, so ids in paths do not create a series each), {@code status}, with a
 * percentile histogram; and binds the JVM metrics once per registry.
 */
public final class HttpMetrics implements AutoCloseable {
  /** The route tag of requests that matched no route. */
  public static final String UNMATCHED = "NOT_FOUND";

  private final MeterRegistry registry;
  private final JvmGcMetrics gc;

  /**
   * @param registry not null; JVM metrics are bound unless the registry already has them
   */
  public HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry.find("jvm.memory.used").meter() == null) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
    } else {
      gc = null;
    }
  }

  /** Records one finished request; used as Javalin's HTTP request logger. */
  public void record(Context ctx, Float millis) {
    Timer.builder("http.server.requests")
        .description("HTTP requests answered by the ledger API")
        .tag("method", ctx.method().toString())
        .tag("route", route(ctx))
        .tag("status", Integer.toString(ctx.statusCode()))
        .publishPercentileHistogram()
        .register(registry)
        .record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS);
  }

  private static String route(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? UNMATCHED : endpoint.path;
    } catch (RuntimeException e) {
      // No endpoint was matched for this request (404, or a 405 decided before routing).
      return UNMATCHED;
    }
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
  }
}

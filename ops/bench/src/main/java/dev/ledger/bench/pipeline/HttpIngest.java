package dev.ledger.bench.pipeline;

import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.time.Duration;
import java.util.Iterator;

/**
 * What a producer of ours sees: {@code POST /v1/events} through the real API (auth, validation of
 * the whole batch, the answer once Kafka has acknowledged every event), from concurrent clients
 * each sending NDJSON batches of generated events. A call counts when the answer is 202.
 */
public final class HttpIngest {

  private HttpIngest() {}

  /**
   * {@code clients} clients posting {@code batch} events per request, closed loop; calls are
   * requests.
   */
  public static ClosedLoop.Result run(
      ApiCalls api, int clients, int batch, Duration warmup, Duration duration, WorkloadSpec spec)
      throws InterruptedException {
    return ClosedLoop.run(
        clients,
        warmup,
        duration,
        n -> {
          // Each client its own seed, so event ids never collide.
          Iterator<String> events =
              WorkloadGenerator.events(
                      WorkloadSpec.builder()
                          .seed(spec.seed() * 1000 + n + 1)
                          .trees(Integer.MAX_VALUE)
                          .tenants(spec.tenants())
                          .build())
                  .iterator();
          return random -> {
            StringBuilder body = new StringBuilder(batch * 400);
            for (int i = 0; i < batch; i++) {
              body.append(events.next()).append('\n');
            }
            ApiCalls.Answer a = api.postNdjson("/v1/events", body.toString());
            if (a.status() != 202) {
              throw new IllegalStateException(
                  "POST /v1/events answered "
                      + a.status()
                      + ": "
                      + a.body().substring(0, Math.min(300, a.body().length())));
            }
            return true;
          };
        });
  }
}

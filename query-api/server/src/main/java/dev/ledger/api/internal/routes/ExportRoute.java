package dev.ledger.api.internal.routes;

import dev.ledger.api.auth.Tenants;
import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Params;
import dev.ledger.export.ExportException;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.PreparedExport;
import dev.ledger.export.ProgressListener;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/exports}: a tenant's verifiable compliance export (docs/exports.md) for a
 * commit-time period, as an attachment streamed from the integrity log as it is read. A tenant
 * credential exports its own tenant; a {@code *} credential must name one. Every problem with the
 * parameters is answered at once, before the first byte.
 */
public final class ExportRoute {
  private static final String TENANT = "tenant";

  private final Exporter exporter;
  private final Streaming streaming;

  /**
   * @param exporter may be null: then the route answers 503
   * @param streaming writes the export, not null
   */
  public ExportRoute(Exporter exporter, Streaming streaming) {
    this.exporter = exporter;
    this.streaming = streaming;
  }

  public void handle(Context ctx) throws IOException {
    Exporter exp = Pages.require(exporter, Pages.NOTARY);
    PreparedExport export = prepare(exp, ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"");
    streaming.write(ctx, export.contentType(), out -> export.writeTo(out, ProgressListener.NONE));
  }

  private static PreparedExport prepare(Exporter exp, Context ctx) throws IOException {
    String bound = Access.boundTenant(ctx);
    String asked = Params.text(ctx, TENANT);
    // A * credential must say which tenant: an export is evidence about one tenant, never a
    // default.
    String tenantProblem = null;
    if (bound == null && asked == null) {
      tenantProblem = "required with a credential for every tenant: name one tenant";
    } else if (bound == null && Tenants.ALL.equals(asked)) {
      tenantProblem = "an export covers one tenant: name it instead of '*'";
    }
    try {
      ExportRequest request =
          ExportRequest.parse(
              bound != null ? bound : asked,
              Params.text(ctx, "from"),
              Params.text(ctx, "to"),
              Params.text(ctx, "format"),
              Params.text(ctx, "previous_tree_size"));
      return exp.prepare(request);
    } catch (ExportException e) {
      throw translate(e, tenantProblem);
    }
  }

  /**
   * The export module's refusal as the API's error, details in the {@code [{parameter, reason}]}
   * shape.
   */
  private static ApiError translate(ExportException e, String tenantProblem) {
    if (e.kind() == ExportException.Kind.NOT_FOUND) {
      return ApiError.notFound(e.getMessage());
    }
    List<Map<String, String>> details = new ArrayList<>();
    if (tenantProblem != null) {
      details.add(Map.of("parameter", TENANT, "reason", tenantProblem));
    }
    for (String problem : e.details()) {
      int colon = problem.indexOf(": ");
      String parameter = colon < 0 ? "" : problem.substring(0, colon);
      if (tenantProblem == null || !parameter.equals(TENANT)) {
        details.add(
            Map.of(
                "parameter",
                parameter,
                "reason",
                colon < 0 ? problem : problem.substring(colon + 2)));
      }
    }
    return ApiError.badRequest(
        e.getMessage()
            + ": "
            + details.stream()
                .map(d -> d.get("parameter") + " " + d.get("reason"))
                .collect(Collectors.joining("; ")),
        details);
  }
}

package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.AuditFilter;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.PageRequest;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.EventType;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code GET /v1/audit}: audit records filtered and paged, or with {@code format=ndjson} (or {@code
 * Accept: application/x-ndjson}) every matching record streamed as NDJSON, written as it is read so
 * memory stays constant whatever the size of the trail.
 */
public final class AuditRoute {
  /** The NDJSON media type. */
  public static final String NDJSON = "application/x-ndjson";

  private static final List<String> FORMATS = List.of("json", "ndjson");
  private static final List<String> OUTCOMES = List.of("allowed", "denied");
  private static final List<String> TYPES =
      Stream.of(EventType.values()).map(EventType::wireName).toList();

  private final LedgerIndex index;
  private final Streaming streaming;

  /**
   * @param index may be null: then the route answers 503
   * @param streaming writes {@code format=ndjson} answers, not null
   */
  public AuditRoute(LedgerIndex index, Streaming streaming) {
    this.index = index;
    this.streaming = streaming;
  }

  public void handle(Context ctx) {
    LedgerIndex idx = Pages.require(index, "the index");
    TenantScope scope = Scopes.of(Access.readTenant(ctx, true));
    AuditFilter filter = filter(ctx);
    try {
      if (wantsNdjson(ctx)) {
        // Validate before the first byte goes out: once streaming, the status can no longer change.
        idx.audit(scope, filter, new PageRequest(1, null));
        stream(ctx, idx, scope, filter);
      } else {
        Pages.write(ctx, idx.audit(scope, filter, Pages.request(ctx)), ContractJson::audit);
      }
    } catch (InvalidQueryException e) {
      throw ApiError.invalid(e);
    }
  }

  private void stream(Context ctx, LedgerIndex idx, TenantScope scope, AuditFilter filter)
      throws InvalidQueryException {
    streaming.write(
        ctx,
        NDJSON,
        raw -> {
          OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
          idx.forEachAudit(
              scope,
              filter,
              record -> {
                try {
                  out.write(ContractJson.mapper().writeValueAsBytes(ContractJson.audit(record)));
                  out.write('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
          out.flush();
        });
  }

  private static boolean wantsNdjson(Context ctx) {
    String format = Params.oneOf(ctx, "format", FORMATS);
    if (format != null) {
      return format.equals("ndjson");
    }
    String accept = ctx.header("Accept");
    return accept != null && accept.contains(NDJSON);
  }

  private static AuditFilter filter(Context ctx) {
    return new AuditFilter(
        Params.text(ctx, "principal"),
        Params.text(ctx, "actor"),
        Params.text(ctx, "token"),
        Params.text(ctx, "resource"),
        Params.text(ctx, "action"),
        Params.oneOf(ctx, "outcome", OUTCOMES),
        Params.oneOf(ctx, "type", TYPES),
        Params.oneOf(ctx, "violation", Scopes.VIOLATIONS),
        Params.instant(ctx, "from"),
        Params.instant(ctx, "to"),
        Params.text(ctx, "q"),
        Params.text(ctx, "submitted_by"),
        Params.text(ctx, "txn"),
        Params.text(ctx, "acti"));
  }
}

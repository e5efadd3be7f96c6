package dev.ledger.api.internal.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Params;
import dev.ledger.api.json.ContractJson;
import dev.ledger.index.Page;
import dev.ledger.index.PageRequest;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * Cursor paging shared by the list routes: {@code ?limit=N&cursor=C} in, {@code {"items",
 * "next_cursor"}} out.
 */
final class Pages {
  private Pages() {}

  /**
   * @return the page the request asks for; 400 naming {@code limit} when it is not 1..1000
   */
  static PageRequest request(Context ctx) {
    return new PageRequest(Params.limit(ctx), Params.text(ctx, "cursor"));
  }

  /** Answers with {@code page}, each item rendered by {@code render}. */
  static <T> void write(Context ctx, Page<T> page, Function<T, ObjectNode> render) {
    ObjectNode body = ContractJson.mapper().createObjectNode();
    ArrayNode items = body.putArray("items");
    page.items().forEach(item -> items.add(render.apply(item)));
    body.put("next_cursor", page.nextCursor());
    ctx.json(body);
  }

  /**
   * @return {@code part} when this server runs it, else a 503
   */
  /**
   * What {@code /v1/exports} and {@code /v1/keys} need: one API instance per deployment runs it.
   */
  static final String NOTARY =
      "the notary (one API instance per deployment runs it, with notary.enabled=true; exports and"
          + " its key are served there)";

  static <T> T require(T part, String what) {
    if (part == null) {
      throw ApiError.unavailable(what + " does not run on this server");
    }
    return part;
  }
}

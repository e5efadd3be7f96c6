package dev.ledger.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP request of the fuzz run.
 *
 * @param index its number in the run: with the seed, all it takes to make it again
 * @param method GET, HEAD or POST
 * @param pathAndQuery already encoded
 * @param headers further request headers (a content type, Last-Event-ID)
 * @param body the body, empty for GET and HEAD
 * @param streamed an endless response (server-sent events): only its status is read
 */
record HttpInput(
    long index,
    String method,
    String pathAndQuery,
    Map<String, String> headers,
    byte[] body,
    boolean streamed) {

  HttpInput {
    headers = Map.copyOf(headers);
  }

  /** The route it aims at, for tallies: the path without its query, ids replaced by {id}. */
  String route() {
    String path = pathAndQuery.split("\\?", 2)[0];
    if (path.startsWith("/v1/tokens/")) {
      // The id is percent-encoded, so a further '/' starts the sub-route (descendants, history,
      // ...).
      int sub = path.indexOf('/', "/v1/tokens/".length());
      return "/v1/tokens/{id}" + (sub < 0 ? "" : path.substring(sub));
    }
    return path.startsWith("/ui/") ? "/ui/{file}" : path;
  }

  /** How to send it again by hand: method, path, headers and the body's first 2,000 characters. */
  String reproducer() {
    String text = new String(body, StandardCharsets.UTF_8);
    return method
        + " "
        + pathAndQuery
        + " "
        + headers
        + (body.length == 0
            ? ""
            : " body("
                + body.length
                + " bytes): "
                + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text));
  }
}

package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.ApiError;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /ui} and {@code GET /ui/{file}}: the auditors' web console, plain files shipped as
 * class-path resources under {@code dev/ledger/api/ui}. The console is a client of the public
 * {@code /v1} API like any other: the browser sends the credential the user typed on each call, so
 * these routes are open and hold no data.
 *
 * <p>Every file carries a strict Content-Security-Policy (scripts, styles, images and fetches only
 * from this origin, no inline script or style, no framing, no form posts) and {@code
 * X-Content-Type-Options: nosniff}, so a producer-supplied string that ever slipped into the page
 * as markup still could not run.
 */
public final class ConsoleRoute {
  /** Class-path folder of the console's files. */
  public static final String RESOURCES = "/dev/ledger/api/ui/";

  /** The Content-Security-Policy of every console file. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  // Flat names only: no path separators, so nothing outside the folder can be named.
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  // Only files that exist are kept, so the map is bounded by the folder however many names are
  // asked for.
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  /** The console's page: {@code /ui} and {@code /ui/}. */
  public void page(Context ctx) {
    serve(ctx, "index.html");
  }

  /** A script, style sheet or icon of the console. */
  public void file(Context ctx) {
    serve(ctx, ctx.pathParam("file"));
  }

  private void serve(Context ctx, String name) {
    Matcher m = FILE.matcher(name);
    byte[] body = m.matches() ? files.computeIfAbsent(name, ConsoleRoute::load) : null;
    if (body == null) {
      throw ApiError.notFound("the console has no file '" + name + "'");
    }
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    // The files change with the server's version; asking again each time costs little and never
    // shows a stale mix.
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(TYPES.get(m.group(1))).result(body);
  }

  /**
   * @return the file's bytes, or null when there is no such file (then nothing is cached)
   */
  private static byte[] load(String name) {
    try (InputStream in = ConsoleRoute.class.getResourceAsStream(RESOURCES + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console file " + name, e);
    }
  }
}

package dev.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.api.internal.routes.ConsoleRoute;
import dev.ledger.api.json.ContractJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code /ui}: the console's files are served open, each with the strict CSP and nosniff, and
 * nothing else can be asked for; the files themselves keep to what that CSP allows and call only
 * the {@code /v1} API. The console's behaviour in a browser is ConsoleIT's (ops/cli).
 */
class ConsoleRouteTest {

  static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html", "js", "text/javascript", "css", "text/css", "svg", "image/svg+xml");

  static TestApi start() {
    return TestApi.start(new ApiContext(null, null, null, null, List.of(), null));
  }

  static List<Path> consoleFiles() throws Exception {
    Path dir = Path.of(ConsoleRoute.class.getResource(ConsoleRoute.RESOURCES).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void everyFileIsServedWithoutACredentialUnderTheStrictPolicy() throws Exception {
    List<Path> files = consoleFiles();
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("index.html", "app.js", "console.css");
    try (TestApi api = start()) {
      for (String path : List.of("/ui", "/ui/")) {
        HttpResponse<String> page = api.get(path, null);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        assertPolicy(page);
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        HttpResponse<String> response = api.get("/ui/" + name, null);
        assertThat(response.statusCode()).as(name).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
            .as(name)
            .hasValueSatisfying(
                t ->
                    assertThat(t).startsWith(TYPES.get(name.substring(name.lastIndexOf('.') + 1))));
        assertThat(response.body()).as(name).isEqualTo(Files.readString(file));
        assertPolicy(response);
      }
      HttpResponse<String> head =
          api.send(
              api.request("/ui/app.js", null).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertPolicy(head);
    }
  }

  static void assertPolicy(HttpResponse<String> response) {
    String csp = response.headers().firstValue("Content-Security-Policy").orElse(null);
    assertThat(csp)
        .isEqualTo(ConsoleRoute.CONTENT_SECURITY_POLICY)
        .contains(
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void nothingButTheConsoleFilesCanBeAskedFor() throws Exception {
    try (TestApi api = start()) {
      for (String path :
          List.of(
              "/ui/missing.js",
              "/ui/App.js",
              "/ui/app.js.map",
              "/ui/.hidden.js",
              "/ui/x.class",
              "/ui/ConsoleRoute.class",
              "/ui/sub/app.js")) {
        HttpResponse<String> response = api.get(path, null);
        assertThat(response.statusCode()).as(path).isEqualTo(404);
        JsonNode body = ContractJson.mapper().readTree(response.body());
        assertThat(body.at("/error/code").asText()).as(path).isEqualTo("not_found");
      }
      // Encoded separators and dot segments never reach a file outside the folder (Jetty may refuse
      // them first).
      for (String path :
          List.of("/ui/..%2Fopenapi.json", "/ui/..%5Copenapi.json", "/ui/%2e%2e%2Fopenapi.json")) {
        HttpResponse<String> response = api.get(path, null);
        assertThat(response.statusCode()).as(path).isIn(400, 404);
        assertThat(response.body()).as(path).doesNotContain("openapi\"");
      }
      assertThat(api.post("/ui/app.js", null, "text/plain", "").statusCode()).isEqualTo(405);
    }
  }

  /**
   * The files keep to the policy (no inline script, style or handler; nothing from elsewhere) and
   * to /v1.
   */
  @Test
  void theFilesNeedNoInlineCodeNoOtherOriginAndCallOnlyTheV1Api() throws Exception {
    Pattern imports = Pattern.compile("from '\\./([a-z0-9-]+\\.js)'");
    for (Path file : consoleFiles()) {
      String name = file.getFileName().toString();
      String text = Files.readString(file);
      assertThat(text)
          .as(name)
          .doesNotContain(
              "innerHTML",
              "outerHTML",
              "insertAdjacentHTML",
              "document.write",
              "eval(",
              "new Function",
              "setTimeout('",
              "javascript:");
      assertThat(text)
          .as(name)
          .doesNotContainPattern("(src|href)=\"(https?:)?//")
          .doesNotContainPattern("url\\((['\"])?(https?:)?//")
          .doesNotContainPattern("@import");
      if (name.endsWith(".html")) {
        assertThat(text)
            .as(name)
            .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
            .doesNotContainPattern("\\son[a-z]+=")
            .doesNotContainPattern("\\sstyle=")
            .doesNotContain("<style");
      }
      if (name.endsWith(".js")) {
        Matcher m = imports.matcher(text);
        while (m.find()) {
          assertThat(file.resolveSibling(m.group(1))).as(name + " imports " + m.group(1)).exists();
        }
        // Only the API module talks to the server, and it prefixes every path with /v1.
        if (!name.equals("api.js")) {
          assertThat(text)
              .as(name)
              .doesNotContainPattern("(?<![.\\w])fetch\\(")
              .doesNotContain("XMLHttpRequest");
        }
      }
    }
    String api =
        Files.readString(
            consoleFiles().stream()
                .filter(p -> p.getFileName().toString().equals("api.js"))
                .findFirst()
                .orElseThrow());
    assertThat(api).contains("return '/v1' + path").containsOnlyOnce("fetch(this.url(");
  }
}

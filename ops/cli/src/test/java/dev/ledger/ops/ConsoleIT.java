package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.runtime.LedgerNode;
import dev.ledger.testkit.Examples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The auditors' console in a real browser (headless Chromium) against the whole ledger as {@code
 * ledger up} runs it: the flow of issue 20 and its security checks. Writes screenshots of the token
 * view and the audit search to {@code ops/cli/target/console/}.
 */
class ConsoleIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration UI = Duration.ofSeconds(20);
  static final String XSS_ACTOR =
      "agent:<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

  @TempDir Path tmp;

  @Test
  void anAuditorFollowsChainsRevocationsAndTheTrailInABrowser() throws Exception {
    String missing = HeadlessChromium.missing();
    Assumptions.assumeTrue(missing == null, missing);
    Path data = tmp.resolve("data");
    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    try (LedgerNode node = UpIT.start(data);
        HeadlessChromium browser = HeadlessChromium.start(downloads)) {
      String key = Files.readString(data.resolve("admin.key")).strip();
      String base = "http://127.0.0.1:" + node.httpPort();
      var d = browser.driver;

      // The page and its files carry a strict CSP and nosniff, and need no credential.
      HttpResponse<String> page = UpIT.send(HttpRequest.newBuilder(URI.create(base + "/ui/")));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(
              csp ->
                  assertThat(csp)
                      .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
                      .doesNotContain("unsafe-inline", "unsafe-eval"));
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

      // A wrong key: an error that says why, no data, nothing kept.
      d.get(base + "/ui/");
      signIn(browser, "ldg_wrong_notakey", "acme");
      WebElement error =
          browser
              .waiting(UI)
              .until(
                  ExpectedConditions.visibilityOfElementLocated(
                      By.cssSelector("#sign-in-status .error")));
      assertThat(error.getText()).contains("Sign-in failed", "401 unauthorized");
      assertThat(d.findElement(By.id("nav")).isDisplayed()).isFalse();
      assertThat(d.findElements(By.cssSelector(".node, table.list"))).isEmpty();
      assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);

      // Sign in: the key is kept in sessionStorage only, never in the URL or a cookie.
      d.findElement(By.id("credential")).clear();
      signIn(browser, key, "acme");
      browser.waiting(UI).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
      assertThat((String) browser.js("return sessionStorage.getItem('ledger.console.session')"))
          .contains(key);
      assertThat(d.getCurrentUrl()).doesNotContain(key);
      assertThat(browser.js("return document.cookie")).isEqualTo("");

      // The contract example; then its scraper's token, deep-linked.
      post(base, key, Examples.quickstartNdjson());
      // Revoked and with its whole chain: a notice is searchable a batch before the token documents
      // it reaches (the index writes notices first), so "revoked" alone can still show a pending
      // chain.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var t = token(base, key, "tok-flights-lhr");
                return "revoked".equals(t.path("status").asText()) && t.path("chain").size() == 3;
              });
      d.get(base + "/ui/#/tokens/tok-flights-lhr?tenant=acme");
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#graph .node[data-token-id]"), 3));
      assertThat(holders(browser))
          .containsExactly(
              Map.entry("tok-root", "agent:travel-planner"),
              Map.entry("tok-flights", "agent:flight-searcher"),
              Map.entry("tok-flights-lhr", "agent:fare-scraper"));
      WebElement scraper = nodeOf(browser, "tok-flights-lhr");
      assertThat(scraper.getDomAttribute("data-status")).isEqualTo("revoked");
      assertThat(scraper.findElement(By.className("node-status")).getText())
          .isEqualTo("REVOKED through tok-flights");
      assertThat(scraper.getText())
          .contains(
              "for user:dana",
              "via attenuated",
              "uses 2 of 3",
              "scopes flights:search",
              "aud https://api.flights.example",
              "use_after_revocation");
      assertThat(nodeOf(browser, "tok-flights").findElement(By.className("node-status")).getText())
          .isEqualTo("REVOKED itself");
      // Times in the browser's zone, UTC on hover.
      assertThat(scraper.findElement(By.cssSelector(".node-expiry time")).getDomAttribute("title"))
          .isEqualTo("2026-11-20 09:30:00 UTC");
      browser.screenshot("token-view");

      // By keyboard: Enter on a node opens that token.
      nodeOf(browser, "tok-flights").sendKeys(Keys.ENTER);
      browser
          .waiting(UI)
          .until(ExpectedConditions.textToBe(By.cssSelector("main h1 code"), "tok-flights"));
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#graph .node[data-token-id]"), 3));

      // The audit trail by actor anywhere in the chain, then by violation; each row links to its
      // token.
      d.findElement(By.linkText("Audit")).click();
      browser
          .waiting(UI)
          .until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-actor")))
          .sendKeys("agent:flight-searcher");
      d.findElement(By.id("audit-search")).click();
      browser.waiting(UI).until(ExpectedConditions.urlContains("actor=agent%3Aflight-searcher"));
      List<WebElement> rows =
          browser
              .waiting(UI)
              .until(
                  ExpectedConditions.numberOfElementsToBe(
                      By.cssSelector("#audit-results tbody tr"), 5));
      assertThat(rows).allSatisfy(r -> assertThat(r.getText()).contains("agent:flight-searcher"));
      assertThat(
              rows.stream()
                  .map(r -> r.findElement(By.cssSelector("a.token-link")).getText())
                  .collect(Collectors.toSet()))
          .containsExactlyInAnyOrder("tok-flights", "tok-flights-lhr");
      d.findElement(By.id("audit-actor")).clear();
      new Select(d.findElement(By.id("audit-violation"))).selectByValue("use_after_revocation");
      d.findElement(By.id("audit-search")).click();
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#audit-results tbody tr"), 1));
      WebElement violation = d.findElement(By.cssSelector("#audit-results tbody tr"));
      assertThat(violation.getText())
          .contains("GET /fares?route=LHR-JFK", "use_after_revocation", "tok-flights-lhr");
      browser.screenshot("audit-search");
      d.findElement(By.id("audit-download")).click();
      browser
          .waiting(UI)
          .until(ExpectedConditions.attributeToBe(By.id("audit-downloaded"), "data-count", "1"));
      Path ndjson =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> downloaded(downloads, "audit-acme-"), p -> p != null);
      assertThat(Files.readAllLines(ndjson))
          .singleElement()
          .satisfies(
              l -> assertThat(JSON.readTree(l).get("event_id").asText()).isEqualTo("ev-006"));
      violation.findElement(By.cssSelector("a.token-link")).click();
      browser
          .waiting(UI)
          .until(ExpectedConditions.textToBe(By.cssSelector("main h1 code"), "tok-flights-lhr"));

      // Alerts, and a signed export with its checkpoint.
      d.findElement(By.linkText("Alerts")).click();
      browser
          .waiting(UI)
          .until(
              d2 ->
                  d2.findElements(By.cssSelector("#alerts-results tbody tr")).stream()
                      .anyMatch(r -> r.getText().contains("use_after_revocation")));
      d.findElement(By.linkText("Exports")).click();
      // The notary signs a tenant's first checkpoint at once, but only once it has read the
      // tenant's first records.
      WebElement checkpoint =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(1))
              .ignoreExceptions()
              .until(
                  () -> {
                    browser
                        .waiting(UI)
                        .until(ExpectedConditions.elementToBeClickable(By.id("export-download")))
                        .click();
                    return browser
                        .waiting(Duration.ofSeconds(5))
                        .until(ExpectedConditions.visibilityOfElementLocated(By.id("checkpoint")));
                  },
                  java.util.Objects::nonNull);
      assertThat(checkpoint.findElement(By.tagName("dd")).getText()).isEqualTo("acme");
      assertThat(checkpoint.getText()).contains("the ledger's notary key");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> downloaded(downloads, "ledger-acme-"), p -> p != null);

      // A fresh tree (three hops below its root, and a sibling whose holder's name is markup),
      // revoked live.
      Instant now = Instant.now();
      String[][] tree = {
        {"fresh-root", null, "agent:planner"},
        {"fresh-a", "fresh-root", "agent:hop-1"},
        {"fresh-b", "fresh-a", "agent:hop-2"},
        {"fresh-c", "fresh-b", "agent:hop-3"},
        {"fresh-x", "fresh-root", XSS_ACTOR}
      };
      post(base, key, treeEvents(tree, now));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  "active".equals(token(base, key, "fresh-c").path("status").asText())
                      && "active".equals(token(base, key, "fresh-x").path("status").asText()));
      d.get(base + "/ui/#/tokens/fresh-root?tenant=acme");
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#graph .node[data-token-id]"), 5));
      browser
          .waiting(UI)
          .until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
      assertThat(d.findElements(By.cssSelector("#graph .node[data-status='active']"))).hasSize(5);
      // The producer's markup is shown as text, and nothing of it ran.
      assertThat(
              nodeOf(browser, "fresh-x")
                  .findElement(By.className("node-holder"))
                  .getDomProperty("textContent"))
          .isEqualTo("holder " + XSS_ACTOR);
      assertThat(d.findElements(By.cssSelector("#graph img, #graph script"))).isEmpty();
      assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);

      browser.js("window.__samePage = 'not reloaded'");
      // The page shows "live" once the stream's headers arrive; the server registers its subscriber
      // just after sending them, which its gauge shows.
      await().atMost(UI).pollInterval(Duration.ofMillis(50)).until(() -> sseSubscribers(base) >= 1);
      post(base, key, revocation("fresh-root", now));
      long revokedAt = System.nanoTime();
      browser
          .waiting(Duration.ofSeconds(2))
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#graph .node[data-status='revoked']"), 5));
      System.out.printf(
          "ConsoleIT: every node of the fresh tree marked revoked %d ms after the revocation was acknowledged%n",
          (System.nanoTime() - revokedAt) / 1_000_000);
      assertThat(browser.js("return window.__samePage")).isEqualTo("not reloaded");
      assertThat(d.findElement(By.id("banner")).getText())
          .contains("Revocation of fresh-root", "“compromised” by user:dana");
      assertThat(nodeOf(browser, "fresh-c").findElement(By.className("node-status")).getText())
          .isEqualTo("REVOKED through fresh-root");
      assertThat(d.findElement(By.cssSelector(".summary")).getDomAttribute("data-status"))
          .isEqualTo("revoked");

      // A wide and deep tree folds: at most 8 children and 3 levels below the open token, the rest
      // counted.
      post(base, key, treeEvents(wideTree(), now));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> "active".equals(token(base, key, "deep-4").path("status").asText()));
      d.get(base + "/ui/#/tokens/wide-root?tenant=acme");
      WebElement rootFold =
          browser
              .waiting(UI)
              .until(
                  ExpectedConditions.visibilityOfElementLocated(
                      By.cssSelector("#graph .fold[data-fold-of='wide-root']")));
      assertThat(rootFold.getDomAttribute("data-hidden")).isEqualTo("12");
      assertThat(rootFold.getText()).contains("+12 more", "12 tokens in these subtrees");
      WebElement deepFold = d.findElement(By.cssSelector("#graph .fold[data-fold-of='deep-2']"));
      assertThat(deepFold.getDomAttribute("data-hidden")).isEqualTo("1");
      assertThat(deepFold.getDomAttribute("data-descendants")).isEqualTo("2");
      assertThat(d.findElements(By.cssSelector("#graph .node[data-token-id]"))).hasSize(1 + 8 + 2);
      rootFold.sendKeys(Keys.ENTER);
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#graph .node[data-token-id]"), 1 + 20 + 2));
      assertThat(d.findElements(By.cssSelector("#graph .fold[data-fold-of='wide-root']")))
          .isEmpty();
      // 10,000 descendants in the browser: the view draws a bounded number of boxes, quickly.
      @SuppressWarnings("unchecked")
      Map<String, Object> big = (Map<String, Object>) d.executeAsyncScript(TEN_THOUSAND);
      System.out.println("ConsoleIT: a tree of 10,000 descendants: " + big);
      assertThat(big.get("descendants")).isEqualTo(10_000L);
      assertThat(((Number) big.get("boxes")).intValue()).isBetween(50, 200);
      assertThat(((Number) big.get("ms")).doubleValue()).isLessThan(1000);

      // Narrow screen: nothing wider than the window.
      d.manage().window().setSize(new Dimension(390, 844));
      d.get(base + "/ui/#/audit?tenant=acme&actor=agent%3Afare-scraper");
      browser
          .waiting(UI)
          .until(
              ExpectedConditions.numberOfElementsToBe(
                  By.cssSelector("#audit-results tbody tr"), 3));
      assertThat(
              (Long) browser.js("return document.documentElement.scrollWidth - window.innerWidth"))
          .isLessThanOrEqualTo(0L);
      d.manage().window().setSize(new Dimension(1280, 800));

      // Sign out: the key is gone and a deep link shows the sign-in form, not data.
      d.findElement(By.id("sign-out")).click();
      browser.waiting(UI).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
      assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);
      d.get(base + "/ui/#/tokens/tok-flights-lhr?tenant=acme");
      browser.waiting(UI).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
      assertThat(d.findElements(By.cssSelector(".node, table.list"))).isEmpty();

      // No script or style was refused: the console runs under its own CSP.
      assertThat(browser.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy"));
    }
  }

  static void signIn(HeadlessChromium browser, String credential, String tenant) {
    var d = browser.driver;
    browser
        .waiting(UI)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("credential")))
        .sendKeys(credential);
    WebElement t = d.findElement(By.id("tenant"));
    t.clear();
    t.sendKeys(tenant);
    d.findElement(By.id("sign-in-button")).click();
  }

  static WebElement nodeOf(HeadlessChromium browser, String tokenId) {
    return browser.driver.findElement(
        By.cssSelector("#graph .node[data-token-id='" + tokenId + "']"));
  }

  /** token id -> holder, in the graph's order (root first). */
  static List<Map.Entry<String, String>> holders(HeadlessChromium browser) {
    return browser.driver.findElements(By.cssSelector("#graph .node[data-token-id]")).stream()
        .map(
            n ->
                Map.entry(
                    n.getDomAttribute("data-token-id"),
                    n.findElement(By.className("node-holder"))
                        .getText()
                        .replaceFirst("^holder ", "")))
        .toList();
  }

  /** The node's open revocation-stream subscribers, from its {@code /metrics}. */
  static double sseSubscribers(String base) throws Exception {
    HttpResponse<String> r = UpIT.send(HttpRequest.newBuilder(URI.create(base + "/metrics")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body()
        .lines()
        .filter(
            l ->
                l.startsWith("ledger_api_sse_subscribers ")
                    || l.startsWith("ledger_api_sse_subscribers{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static void post(String base, String key, String ndjson) throws Exception {
    HttpResponse<String> r =
        UpIT.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  static JsonNode token(String base, String key, String id) throws Exception {
    HttpResponse<String> r =
        UpIT.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/tokens/" + id + "?tenant=acme"))
                .header("Authorization", "Bearer " + key));
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
  }

  /** NDJSON events for {id, parent, actor} rows: an issued root, then exchanges. */
  static String treeEvents(String[][] tree, Instant now) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tree.length; i++) {
      ObjectNode e =
          event(
              "ev-" + tree[i][0],
              tree[i][1] == null ? "token.issued" : "token.exchanged",
              now.plusMillis(i));
      ObjectNode t = e.putObject("token");
      t.put("token_id", tree[i][0]);
      if (tree[i][1] != null) {
        t.put("parent_token_id", tree[i][1]);
      } else {
        t.put("subject", "user:erin");
      }
      t.put("issuer", "https://auth.acme.example");
      t.put("actor", tree[i][2]);
      t.putArray("audience").add("https://api.flights.example");
      t.putArray("scopes").add("flights:search");
      t.put("expires_at", now.plus(Duration.ofHours(1)).toString());
      out.append(e).append('\n');
    }
    return out.toString();
  }

  /** wide-root with 20 children wide-00..wide-19; wide-00 heads a chain deep-1..deep-4. */
  static String[][] wideTree() {
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(new String[] {"wide-root", null, "agent:fan-out"});
    for (int i = 0; i < 20; i++) {
      rows.add(new String[] {String.format("wide-%02d", i), "wide-root", "agent:worker-" + i});
    }
    for (int i = 1; i <= 4; i++) {
      rows.add(
          new String[] {"deep-" + i, i == 1 ? "wide-00" : "deep-" + (i - 1), "agent:deep-" + i});
    }
    return rows.toArray(String[][]::new);
  }

  /**
   * Runs the token view's own tree code in the page on 10,000 synthetic descendants (a root with
   * 100 children of 99 each) and draws them; answers how many boxes were drawn and how long it
   * took.
   */
  static final String TEN_THOUSAND =
      """
      const done = arguments[arguments.length - 1];
      Promise.all([import('/ui/tree.js'), import('/ui/graph.js')]).then(([tree, graph]) => {
        const start = performance.now();
        const tokens = new Map([['big', { token_id: 'big', actor: 'agent:big', status: 'active' }]]);
        for (let i = 0; i < 100; i++) {
          tokens.set('c' + i, { token_id: 'c' + i, parent_id: 'big', actor: 'agent:c', status: 'active' });
          for (let j = 0; j < 99; j++) {
            tokens.set(`g${i}-${j}`, { token_id: `g${i}-${j}`, parent_id: 'c' + i, actor: 'agent:g', status: 'active' });
          }
        }
        const descendants = [...tokens.values()].slice(1);
        const children = tree.childrenIndex(descendants);
        const root = tree.visibleTree(['big'], 'big', children, tree.subtreeSizes('big', children), new Map());
        const box = document.createElement('div');
        document.body.append(box);
        new graph.Graph(box, { tenant: 'acme', focusId: 'big', onUnfold: () => {} }).draw(root, (id) => tokens.get(id));
        const boxes = box.querySelectorAll('.node').length;
        box.remove();
        done({ descendants: descendants.length, boxes, ms: performance.now() - start });
      }, (e) => done({ error: String(e) }));
      """;

  static String revocation(String tokenId, Instant now) {
    ObjectNode e = event("fresh-ev-revoke", "token.revoked", now.plusSeconds(1));
    e.putObject("revocation")
        .put("token_id", tokenId)
        .put("reason", "compromised")
        .put("revoked_by", "user:dana");
    return e + "\n";
  }

  static ObjectNode event(String id, String type, Instant at) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_id", id)
        .put("type", type)
        .put("occurred_at", at.toString())
        .put("tenant", "acme")
        .put("source", "https://auth.acme.example");
    return e;
  }

  /**
   * A finished download whose name starts with prefix (Chromium writes .crdownload files until
   * then).
   */
  static Path downloaded(Path dir, String prefix) throws Exception {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(".ndjson"))
          .findFirst()
          .orElse(null);
    }
  }
}

package dev.ledger.ops.example;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A push receiver (RFC 8935) at {@code /events} that takes 300 ms per SET, so that a delivery is
 * under way whenever a test stops or kills the instance pushing: it hands each SET to the test,
 * then answers 202 (400 when the test's callback throws, as for a SET it cannot parse).
 */
final class SlowPushReceiver implements AutoCloseable {
  /** What the test does with each SET. */
  @FunctionalInterface
  interface Sink {
    /**
     * @param authorization the request's {@code Authorization} header, null without one
     */
    void received(String set, String authorization) throws Exception;
  }

  private final HttpServer server;

  private SlowPushReceiver(HttpServer server) {
    this.server = server;
  }

  static SlowPushReceiver start(Sink sink) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/events",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          try {
            Thread.sleep(300);
            sink.received(body, exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(202, -1);
          } catch (Exception e) {
            exchange.sendResponseHeaders(400, -1);
          }
          exchange.close();
        });
    server.start();
    return new SlowPushReceiver(server);
  }

  /**
   * @return the stream configuration members that make a stream push to this receiver
   */
  Map<String, Object> delivery() {
    return Map.of(
        "method",
        "urn:ietf:rfc:8935",
        "endpoint_url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/events");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.ledger.revocation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the ledger server's {@code GET /v1/revocations/stream}: numbered events from 1 on
 * one partition (id {@code 0:<n>}, the position form of contract v1.17), replay after {@code
 * Last-Event-ID} ({@code 0}: everything; any other form a 400 naming it, as the server answers an
 * id of v1.16), then live events, keep-alive comments, and knobs to break connections the ways real
 * networks do.
 */
final class FakeRevocationStream implements AutoCloseable {

  record Event(long id, String type, String json) {}

  static final String KEY = "secret-key";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Event> events = new ArrayList<>();

  /** The Last-Event-ID header of each accepted connection ("" when absent), in order. */
  final List<String> resumeIds = new CopyOnWriteArrayList<>();

  /** The query string of each request. */
  final List<String> queries = new CopyOnWriteArrayList<>();

  private volatile int generation;
  private volatile boolean unavailable;
  private volatile Duration keepAlive = Duration.ofMillis(100);

  /** Sends ids as contract v1.16 did (a bare sequence number), as a server before the upgrade. */
  private volatile boolean numericIds;

  /** On the next connection only: send this many events, then half an event, then hang up. */
  private volatile int tearAfter = -1;

  FakeRevocationStream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/revocations/stream", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized long publish(String type, String json) {
    long id = events.size() + 1;
    events.add(new Event(id, type, json));
    notifyAll();
    return id;
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Hangs up every open stream (the client sees the connection end). */
  synchronized void dropAll() {
    generation++;
    notifyAll();
  }

  void unavailable(boolean value) {
    unavailable = value;
  }

  void keepAlive(Duration value) {
    keepAlive = value;
  }

  void numericIds(boolean value) {
    numericIds = value;
  }

  /** The id the fake sends with event {@code n}. */
  static String id(long n) {
    return "0:" + n;
  }

  void tearNextConnectionAfter(int events) {
    tearAfter = events;
  }

  private void handle(HttpExchange exchange) throws IOException {
    queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
    try (exchange) {
      if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"bad key\"}}");
        return;
      }
      if (unavailable) {
        reply(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"starting\"}}");
        return;
      }
      String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
      resumeIds.add(lastId == null ? "" : lastId);
      long sent;
      if (lastId == null) {
        sent = events().size();
      } else if (lastId.strip().equals("0")) {
        sent = 0;
      } else if (lastId.strip().matches("0:[0-9]+")) {
        sent = Long.parseLong(lastId.strip().substring(2));
      } else {
        reply(
            exchange,
            400,
            "{\"error\":{\"code\":\"bad_request\",\"message\":\"Last-Event-ID: not a"
                + " position\",\"details\":[{\"parameter\":\"Last-Event-ID\"}]}}");
        return;
      }
      int myGeneration = generation;
      int tear = tearAfter;
      tearAfter = -1;
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 64 * 1024);
      out.flush(); // the headers, so that the client sees the stream open before any event
      int count = 0;
      while (true) {
        List<Event> pending;
        synchronized (this) {
          if (events.size() <= sent && generation == myGeneration) {
            wait(keepAlive.toMillis());
          }
          if (generation != myGeneration) {
            return;
          }
          pending = List.copyOf(events.subList((int) sent, events.size()));
        }
        if (pending.isEmpty() && !keepAlive.isZero()) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        }
        for (Event e : pending) {
          if (count++ == tear) {
            out.write(
                ("id: "
                        + wireId(e)
                        + "\nevent: "
                        + e.type()
                        + "\ndata: "
                        + e.json().substring(0, e.json().length() / 2))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
          }
          out.write(
              ("id: " + wireId(e) + "\nevent: " + e.type() + "\ndata: " + e.json() + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
          sent = e.id();
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    }
  }

  private String wireId(Event e) {
    return numericIds ? Long.toString(e.id()) : id(e.id());
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    dropAll();
    server.stop(0);
    executor.shutdownNow();
  }

  /** The JSON of a notice as the ledger server writes it. */
  static String noticeJson(String tenant, String tokenId, String cause) {
    return "{\"tenant\":"
        + quote(tenant)
        + ",\"token_id\":"
        + quote(tokenId)
        + ",\"root_id\":"
        + quote(cause)
        + ",\"revoked_at\":\"2026-03-01T12:00:00.250Z\",\"revocation_cause\":"
        + quote(cause)
        + ",\"reason\":\"leaked \\\"key\\\"\\n\",\"revoked_by\":null,\"expires_at\":\"2026-03-01T13:00:00.250Z\""
        + ",\"principal\":\"alice\",\"depth\":1,\"event_id\":\"ev-1\",\"notified_at\":\"2026-03-01T12:00:00.300Z\"}";
  }

  static String tombstoneJson(String tenant, String tokenId) {
    return "{\"tenant\":" + quote(tenant) + ",\"token_id\":" + quote(tokenId) + "}";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

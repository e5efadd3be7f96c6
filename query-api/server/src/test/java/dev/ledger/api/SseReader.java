package dev.ledger.api;

import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.RevocationPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A server-sent-events client for tests: reads one stream on a virtual thread and keeps what it
 * parsed.
 */
public final class SseReader implements AutoCloseable {
  /** One parsed event. */
  public record Event(String id, String event, String data) {
    /** The client's position after this event. */
    public RevocationPosition position() {
      try {
        return RevocationPosition.parse(id);
      } catch (InvalidQueryException e) {
        throw new AssertionError("not a position: " + id, e);
      }
    }
  }

  /** Where a notice's record was on ledger.revocations, as its id tells. */
  public record Place(int partition, long offset, String event) {}

  public final int status;
  public final List<Event> events = new CopyOnWriteArrayList<>();
  public final AtomicInteger comments = new AtomicInteger();
  public final String errorBody;
  private final Stream<String> lines;
  private final Thread reader;
  private volatile boolean ended;

  private SseReader(HttpResponse<Stream<String>> response) {
    this.status = response.statusCode();
    this.lines = response.body();
    if (status != 200) {
      this.errorBody = String.join("\n", lines.toList());
      this.reader = null;
      this.ended = true;
      return;
    }
    this.errorBody = null;
    this.reader = Thread.ofVirtual().start(this::read);
  }

  /** Opens the stream and returns once the response headers are in. */
  public static SseReader open(HttpClient client, HttpRequest request) {
    try {
      return new SseReader(client.send(request, HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    String id = null;
    String event = null;
    List<String> data = new ArrayList<>();
    try {
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.isEmpty()) {
          if (!data.isEmpty() || event != null) {
            events.add(new Event(id, event, String.join("\n", data)));
          }
          id = null;
          event = null;
          data = new ArrayList<>();
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id:")) {
          id = value(line);
        } else if (line.startsWith("event:")) {
          event = value(line);
        } else if (line.startsWith("data:")) {
          data.add(value(line));
        }
      }
    } catch (RuntimeException e) {
      // closed by the test or the server
    } finally {
      ended = true;
    }
  }

  private static String value(String line) {
    String v = line.substring(line.indexOf(':') + 1);
    return v.startsWith(" ") ? v.substring(1) : v;
  }

  /**
   * @return true once the server closed the stream (or it never opened)
   */
  public boolean ended() {
    return ended;
  }

  /**
   * @return the events that carry an id (notices and tombstones), in arrival order
   */
  public List<Event> notices() {
    return events.stream().filter(e -> e.id() != null).toList();
  }

  /**
   * The place of each notice, in arrival order: the one partition whose offset its id moved past
   * the previous id ({@code start} for the first; null when unknown: then the first notice has no
   * place here). Fails when an id moves none or several, or moves one backwards: each id must be
   * the previous one advanced by exactly its own record.
   */
  public List<Place> places(RevocationPosition start) {
    List<Place> out = new ArrayList<>();
    List<Event> notices = notices();
    if (start == null && notices.isEmpty()) {
      return out;
    }
    RevocationPosition before = start == null ? notices.getFirst().position() : start;
    for (Event e : start == null ? notices.subList(1, notices.size()) : notices) {
      RevocationPosition after = e.position();
      Place place = null;
      for (var entry : after.offsets().entrySet()) {
        Long was = before.offsets().get(entry.getKey());
        if (was == null || was < entry.getValue()) {
          if (place != null) {
            throw new AssertionError(before + " -> " + after + ": more than one partition moved");
          }
          place = new Place(entry.getKey(), entry.getValue(), e.event());
        } else if (was > entry.getValue()) {
          throw new AssertionError(before + " -> " + after + ": a partition went back");
        }
      }
      if (place == null || !after.offsets().keySet().containsAll(before.offsets().keySet())) {
        throw new AssertionError(before + " -> " + after + ": not one record further");
      }
      out.add(place);
      before = after;
    }
    return out;
  }

  @Override
  public void close() {
    lines.close();
    if (reader != null) {
      reader.interrupt();
    }
  }
}

package dev.ledger.revocation.internal;

import java.util.function.Consumer;

/**
 * Turns the lines of a {@code text/event-stream} into events, following the WHATWG
 * server-sent-events parsing rules: fields {@code id}, {@code event}, {@code data} (several data
 * lines join with a newline), {@code retry}; one optional space after the colon is dropped; a line
 * starting with a colon is a comment; a blank line dispatches the event, unless it has no data.
 * Feed it lines without their terminator (as {@link java.io.BufferedReader#readLine()} gives them).
 */
final class SseEventParser {

  /** What the parser reports besides events. */
  interface Handler extends Consumer<SseEvent> {
    /** A comment line (a keep-alive); {@code text} is what follows the colon. */
    default void comment(String text) {}

    /** The server asked for this reconnection delay in milliseconds. */
    default void retry(long millis) {}
  }

  private final Handler handler;
  private String id;
  private String type;
  private StringBuilder data;

  SseEventParser(Handler handler) {
    this.handler = handler;
  }

  void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      handler.comment(line.substring(1));
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event" -> type = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          id = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 18) {
          handler.retry(Long.parseLong(value));
        }
      }
      default -> {} // unknown fields are ignored, as the specification says
    }
  }

  /** Drops a half-received event (the connection broke in the middle of it). */
  void reset() {
    id = null;
    type = null;
    data = null;
  }

  private void dispatch() {
    if (data != null) {
      handler.accept(
          new SseEvent(id, type == null || type.isEmpty() ? "message" : type, data.toString()));
    }
    reset();
  }
}

package dev.ledger.bench.postgres;

import java.sql.SQLException;

/** Writes generated events to PostgreSQL; the transaction is the caller's. */
interface EventSink extends AutoCloseable {

  /** Adds one event (a {@code ledger generate} JSON line); it may wait for {@link #flush()}. */
  void add(String line) throws Exception;

  /** Sends every added event. */
  void flush() throws SQLException;

  @Override
  void close() throws SQLException;
}

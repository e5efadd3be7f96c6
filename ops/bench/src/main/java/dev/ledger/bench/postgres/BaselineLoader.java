package dev.ledger.bench.postgres;

import dev.ledger.bench.query.QueryDataset;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Bulk-loads tokens (with their ancestors), audit records and their audit_actor rows into the
 * baseline tables with COPY (the fast path for millions of rows), in chunks of about 4 MB; the
 * caller then builds the indexes.
 */
public final class BaselineLoader implements QueryDataset.Sink, AutoCloseable {

  private static final int CHUNK_CHARS = 4 << 20;

  private final CopyManager copy;
  private final CopyText tokens = new CopyText();
  private final CopyText audit = new CopyText();
  private final CopyText auditActors = new CopyText();
  private long tokenRows;
  private long auditRows;

  /** A loader writing through {@code connection} (auto-commit on). */
  public BaselineLoader(Connection connection) throws SQLException {
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
  }

  @Override
  public void token(TokenNode t) throws SQLException, IOException {
    List<String> ancestors = new ArrayList<>();
    for (Hop h : t.getChain()) {
      if (!h.getTokenId().equals(t.getTokenId())) {
        ancestors.add(h.getTokenId());
      }
    }
    tokens
        .text(t.getTenant())
        .text(t.getTokenId())
        .text(t.getParentId())
        .text(t.getRootId())
        .number(t.getDepth())
        .array(ancestors)
        .text(t.getPrincipal())
        .text(t.getActor())
        .array(t.getScopes())
        .array(t.getAudience())
        .text(t.getStatus().name())
        .time(t.getIssuedAt())
        .time(t.getRevokedAt())
        .text(t.getRevocationCause())
        .time(t.getExpiresAt())
        .endRow();
    tokenRows++;
    if (tokens.length() > CHUNK_CHARS) {
      flushTokens();
    }
  }

  @Override
  public void audit(AuditRecord r) throws SQLException, IOException {
    Set<String> actors = new LinkedHashSet<>();
    for (Hop h : r.getChain()) {
      if (h.getActor() != null) {
        actors.add(h.getActor());
      }
    }
    if (r.getActor() != null) {
      actors.add(r.getActor());
    }
    String outcome = r.getOutcome() == null ? null : r.getOutcome().name();
    StringBuilder search = new StringBuilder();
    for (String part :
        new String[] {
          r.getEventId(),
          r.getType(),
          r.getTokenId(),
          r.getPrincipal(),
          r.getResource(),
          r.getAction(),
          outcome,
          r.getReason(),
          r.getRequestId()
        }) {
      if (part != null) {
        search.append(part).append(' ');
      }
    }
    actors.forEach(a -> search.append(a).append(' '));
    audit
        .text(r.getTenant())
        .text(r.getEventId())
        .text(r.getType())
        .time(r.getOccurredAt())
        .text(r.getTokenId())
        .text(r.getPrincipal())
        .text(r.getActor())
        .array(actors)
        .text(r.getResource())
        .text(r.getAction())
        .text(outcome)
        .text(r.getReason())
        .text(r.getRequestId())
        .array(r.getViolations())
        .text(search.toString())
        .endRow();
    for (String actor : actors) {
      auditActors
          .text(r.getTenant())
          .text(actor)
          .time(r.getOccurredAt())
          .text(r.getEventId())
          .endRow();
    }
    auditRows++;
    if (audit.length() + auditActors.length() > CHUNK_CHARS) {
      flushAudit();
    }
  }

  private void flushTokens() throws SQLException, IOException {
    copy.copyIn("COPY tokens FROM STDIN", new StringReader(tokens.toString()));
    tokens.clear();
  }

  private void flushAudit() throws SQLException, IOException {
    copy.copyIn("COPY audit FROM STDIN", new StringReader(audit.toString()));
    audit.clear();
    copy.copyIn("COPY audit_actor FROM STDIN", new StringReader(auditActors.toString()));
    auditActors.clear();
  }

  public long tokenRows() {
    return tokenRows;
  }

  public long auditRows() {
    return auditRows;
  }

  /** Writes what is buffered. */
  @Override
  public void close() throws SQLException, IOException {
    flushTokens();
    flushAudit();
  }
}

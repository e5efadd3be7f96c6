/** Adapters from real token formats to ledger events (RFC 8693 JWT access tokens with {@code act} claims). */
package dev.ledger.ingest.adapter;

/**
 * Adapters from real token formats (JWT access tokens and RFC 8693 exchanges, Biscuit tokens,
 * macaroons, Transaction Tokens) to ledger events.
 */
package dev.ledger.ingest.adapter;

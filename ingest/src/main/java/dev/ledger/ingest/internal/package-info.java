/**
 * Internals of ingest (body parsing, media types, timestamps, the transaction loop); not an API.
 */
package dev.ledger.ingest.internal;

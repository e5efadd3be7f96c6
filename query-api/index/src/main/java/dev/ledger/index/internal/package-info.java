/**
 * How ledger records become Lucene documents, queries and cursors; not an API, may change at any
 * time.
 */
package dev.ledger.index.internal;

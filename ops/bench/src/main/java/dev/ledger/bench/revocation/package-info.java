/**
 * Revocation propagation: from a revocation's acknowledgement to the last descendant's notice,
 * beside PostgreSQL's recursive UPDATE.
 */
package dev.ledger.bench.revocation;

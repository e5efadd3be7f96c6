/** RFC 9162 (Certificate Transparency v2) Merkle tree hashing, compact ranges and proofs. */
package dev.ledger.export.merkle;

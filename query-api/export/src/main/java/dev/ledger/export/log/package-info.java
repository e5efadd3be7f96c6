/**
 * The notary: a per-tenant, append-only Merkle log of audit records on local disk, fed from Kafka.
 */
package dev.ledger.export.log;

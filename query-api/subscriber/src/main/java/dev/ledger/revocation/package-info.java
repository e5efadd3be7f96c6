/**
 * For resource servers: a local, always-current view of the ledger's live revocations, fed from
 * {@code ledger.revocations} over Kafka or from {@code /v1/revocations/stream} over HTTP; start
 * with {@link dev.ledger.revocation.RevocationSubscriber}.
 */
package dev.ledger.revocation;

/**
 * The floor: what Kafka Streams exactly-once on the ledger's own broker and settings costs per
 * event when it does nothing but move events, the least any ledger built on these dependencies must
 * pay.
 */
package dev.ledger.bench.floor;

/**
 * Kafka plumbing shared by every role: the client settings every client of a process is built from
 * (and the {@code kafka-client.properties} file that carries them), topic creation, and the manual
 * assignment that follows partitions added at run time.
 */
package dev.ledger.schemas.kafka;

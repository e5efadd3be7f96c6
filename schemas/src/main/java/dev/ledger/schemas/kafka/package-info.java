/**
 * Kafka plumbing shared by every role: the client settings every client of a process is built from
 * (and the {@code kafka-client.properties} file that carries them), topic creation, the manual
 * assignment that follows partitions added at run time, and group membership held for ownership.
 */
package dev.ledger.schemas.kafka;

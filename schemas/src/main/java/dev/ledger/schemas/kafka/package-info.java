/**
 * Kafka plumbing shared by every role: the client settings every client of a process is built from
 * (and the {@code kafka-client.properties} file that carries them) and topic creation.
 */
package dev.ledger.schemas.kafka;

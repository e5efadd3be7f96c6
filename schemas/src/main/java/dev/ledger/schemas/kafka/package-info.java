/** Kafka plumbing shared by every role: topic creation and the embedded single-node KRaft broker. */
package dev.ledger.schemas.kafka;

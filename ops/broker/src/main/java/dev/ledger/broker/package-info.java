/**
 * The embedded KRaft broker that {@code ledger up} and the integration tests start (one node, one
 * login) and the local multi-broker cluster built from it, kept out of {@code ledger-schemas} so
 * that a Kafka client of the ledger never pulls a broker in.
 */
package dev.ledger.broker;

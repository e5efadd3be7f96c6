/**
 * The fault campaign ({@code ledger bench fault-campaign}): {@code kill -9} of a child-JVM {@code
 * ledger up} at random points of a replay, restarts on the same data, and the checks that nothing
 * was lost or doubled (audit records in the topic, the index and the notary's log, revocation
 * notices, verified exports).
 */
package dev.ledger.bench.fault;

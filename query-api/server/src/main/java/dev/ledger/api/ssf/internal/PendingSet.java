package dev.ledger.api.ssf.internal;

import org.apache.kafka.common.TopicPartition;

/**
 * A SET handed out and not yet acknowledged.
 *
 * @param jti its id
 * @param set the signed compact JWS
 * @param partition where its revocation notice is, or null for a SET not made from a notice
 *     (verification, stream-updated), which is kept in memory only
 * @param offset the notice's offset, or -1
 */
public record PendingSet(String jti, String set, TopicPartition partition, long offset) {}

/**
 * The live revocation stream: one index listener fanned out to many server-sent-event subscribers.
 */
package dev.ledger.api.internal.sse;

/**
 * The SSF transmitter's parts: signing key, SETs, stream store, per-stream Kafka cursors, push and
 * poll delivery, routes.
 */
package dev.ledger.api.ssf.internal;

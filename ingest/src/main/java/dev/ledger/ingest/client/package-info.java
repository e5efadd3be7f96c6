/**
 * A Java client for producers: builders for the five event types, and a sender to Kafka or the HTTP
 * API that retries without duplicating.
 */
package dev.ledger.ingest.client;

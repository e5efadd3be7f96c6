/**
 * Inside the topology: the two processors, their stores, internal messages and serdes; not an API.
 */
package dev.ledger.streams.internal;

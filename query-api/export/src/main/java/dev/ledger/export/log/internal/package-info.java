/** File layout and small data structures behind the integrity log; not a public API. */
package dev.ledger.export.log.internal;

/** A local multi-broker KRaft cluster in one JVM, to try and test the ledger scaled out. */
package dev.ledger.ops.cluster;

/** The ledger scaled out on a three-broker cluster while one of its instances dies. */
package dev.ledger.bench.cluster;

/** The example resource server's route and its asynchronous use reporter; not an API. */
package dev.ledger.example.internal;

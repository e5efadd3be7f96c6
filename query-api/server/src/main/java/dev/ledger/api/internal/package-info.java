/**
 * Plumbing shared by the routes: the error shape, authentication and tenant scoping, parameters and
 * metrics.
 */
package dev.ledger.api.internal;

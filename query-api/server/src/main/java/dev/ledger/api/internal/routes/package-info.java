/** The HTTP handlers, one class per resource of CONTRACT.md section 4. */
package dev.ledger.api.internal.routes;

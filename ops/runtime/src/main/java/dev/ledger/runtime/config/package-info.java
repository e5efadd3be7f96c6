/**
 * Effective configuration: defaults, then a properties file, then environment variables, then
 * command-line options.
 */
package dev.ledger.runtime.config;

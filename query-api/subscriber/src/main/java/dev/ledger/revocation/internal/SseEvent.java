package dev.ledger.revocation.internal;

/**
 * One server-sent event as dispatched by {@link SseEventParser}.
 *
 * @param id the event's {@code id:}, or null if it had none
 * @param type the {@code event:} name, {@code message} when absent
 * @param data the {@code data:} lines joined with newlines, never null
 */
record SseEvent(String id, String type, String data) {}

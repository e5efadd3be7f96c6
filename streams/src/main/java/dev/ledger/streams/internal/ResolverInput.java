package dev.ledger.streams.internal;

/**
 * What the stage-1 resolver reads: an event from {@code ledger.events} ({@link RawEvent}) or a
 * message of its own resolve loop ({@link LoopMessage}).
 */
public sealed interface ResolverInput permits RawEvent, LoopMessage {}

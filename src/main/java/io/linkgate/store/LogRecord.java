package io.linkgate.store;

/** One unacknowledged record handed back by a replay. */
public record LogRecord(long seq, long timestampMillis, byte[] payload) {
}

package io.linkgate.store;

/** An append refused by {@link OverflowPolicy#REJECT_NEW} (the backlog is at its byte bound) or too large to fit. */
public final class LogFullException extends RuntimeException {

  public LogFullException(String message) {
    super(message, null, false, false);
  }
}

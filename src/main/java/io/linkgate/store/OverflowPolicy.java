package io.linkgate.store;

/** What an append does when the backlog would exceed {@link LogOptions#maxBytes()}. */
public enum OverflowPolicy {
  /** Drop the oldest unacknowledged records until the new one fits (counted as dropped, reason queue_full). */
  DROP_OLDEST,
  /** Fail the new append with {@link LogFullException} (counted as rejected; the backlog is untouched). */
  REJECT_NEW;

  /** {@code drop_oldest | reject_new}, as in the config file. */
  public static OverflowPolicy parse(String value) {
    for (OverflowPolicy p : values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("overflow must be drop_oldest or reject_new, not '" + value + "'");
  }
}

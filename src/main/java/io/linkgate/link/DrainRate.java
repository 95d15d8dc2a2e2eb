package io.linkgate.link;

/**
 * {@code resource_opts.drain_rate}: at most that many messages per second go to the peer, so a backlog replayed after
 * an outage does not flood it. A token bucket holding a tenth of a second of sends (at least one), so the rate holds
 * over any window longer than that. 0 = unlimited. Owned by the forwarding pool's loop.
 */
final class DrainRate {
  private final int perSecond;
  private final double capacity;
  private double tokens;
  private long refilledAt;

  DrainRate(int perSecond) {
    this.perSecond = perSecond;
    this.capacity = Math.max(1, perSecond / 10.0);
    this.tokens = capacity;
  }

  /** Takes one send if the rate allows it now. */
  boolean take(long nowMillis) {
    if (perSecond == 0) {
      return true;
    }
    if (nowMillis > refilledAt) {
      tokens = Math.min(capacity, tokens + (nowMillis - refilledAt) * perSecond / 1000.0);
      refilledAt = nowMillis;
    }
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }

  /** How long until the next send is allowed (at least 1 ms). */
  long millisUntilNext(long nowMillis) {
    double missing = 1 - tokens;
    return Math.max(1, (long) Math.ceil(missing * 1000.0 / Math.max(1, perSecond)));
  }
}

package io.linkgate.link;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one log line per key and period, so that a peer that keeps sending what we refuse does not flood the log.
 * Owned by the verticle or thread that logs (not thread-safe).
 */
final class LogThrottle {
  /** The period of the link package's throttled warnings. */
  static final long EVERY_MS = 10_000;

  private final long periodMs;
  private final Map<String, Long> last = new HashMap<>();

  LogThrottle(long periodMs) {
    this.periodMs = periodMs;
  }

  /** True (and the period starts again) when nothing was logged for {@code key} in the last period. */
  boolean allow(String key, long now) {
    Long previous = last.get(key);
    if (previous != null && now - previous < periodMs) {
      return false;
    }
    last.put(key, now);
    return true;
  }
}

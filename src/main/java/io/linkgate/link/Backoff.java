package io.linkgate.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays of one link client: the base delay after the first failure, doubling with each further failure
 * up to {@link #CAP_FACTOR} times the base, plus up to 20 % jitter so that a pool's clients do not reconnect in step.
 * A success starts over from the base. Owned by the link verticle.
 */
final class Backoff {
  /** The cap, as a multiple of the base: 40 s for route sync (base 5 s), 16 s for forwarding clients (base 2 s). */
  static final int CAP_FACTOR = 8;

  private final long baseMillis;
  private int failures;

  Backoff(Duration base) {
    this.baseMillis = Math.max(1, base.toMillis());
  }

  /** The delay before the next attempt, counting one more failure. */
  long nextDelayMillis() {
    failures = Math.min(failures + 1, 31);
    long delay = Math.min(baseMillis * CAP_FACTOR, baseMillis << Math.min(failures - 1, 20));
    return delay + ThreadLocalRandom.current().nextLong(delay / 5 + 1);
  }

  /** Failures since the last success. */
  int failures() {
    return failures;
  }

  void reset() {
    failures = 0;
  }
}

package io.linkgate.broker;

/**
 * A token bucket for {@code listeners.<type>.<name>.max_conn_rate}: {@code count} connections per
 * {@code periodMillis}, with bursts up to {@code count}. Used on the broker thread only.
 */
final class ConnRateLimiter {
  private final double capacity;
  private final double tokensPerMilli;
  private double tokens;
  private long last;

  ConnRateLimiter(long count, long periodMillis, long now) {
    this.capacity = count;
    this.tokensPerMilli = (double) count / periodMillis;
    this.tokens = count;
    this.last = now;
  }

  boolean tryAcquire(long now) {
    tokens = Math.min(capacity, tokens + (now - last) * tokensPerMilli);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}

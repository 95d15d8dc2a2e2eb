package io.linkgate.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing on the API: after {@code maxFailures} wrong passwords for one username from one
 * address within {@code window}, that pair is locked out for {@code firstLockout}, doubling with each further lockout
 * up to {@code maxLockout}. A success clears the pair. Keyed by username and address together, so an attacker
 * cannot lock a legitimate operator out from elsewhere. Thread-safe (the API runs on several event loops).
 */
final class LoginThrottle {
  static final int DEFAULT_MAX_FAILURES = 5;
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  static final Duration DEFAULT_FIRST_LOCKOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_MAX_LOCKOUT = Duration.ofMinutes(15);
  /** Entries kept before stale ones are swept: bounds memory against guesses over many usernames. */
  private static final int SWEEP_ABOVE = 10_000;

  private record State(int failures, long windowStart, int lockouts, long lockedUntil) {
  }

  private final int maxFailures;
  private final long windowMillis;
  private final long firstLockoutMillis;
  private final long maxLockoutMillis;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  LoginThrottle(int maxFailures, Duration window, Duration firstLockout, Duration maxLockout) {
    this.maxFailures = maxFailures;
    this.windowMillis = window.toMillis();
    this.firstLockoutMillis = firstLockout.toMillis();
    this.maxLockoutMillis = maxLockout.toMillis();
  }

  static LoginThrottle defaults() {
    return new LoginThrottle(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_FIRST_LOCKOUT, DEFAULT_MAX_LOCKOUT);
  }

  private static String key(String username, String address) {
    return username + '\u0000' + address;
  }

  /** How long this pair must still wait, in milliseconds; 0 when it may try. */
  long lockedFor(String username, String address, long now) {
    State s = states.get(key(username, address));
    return s == null ? 0 : Math.max(0, s.lockedUntil() - now);
  }

  /** Records a wrong password; returns true when this failure started a lockout. */
  boolean failed(String username, String address, long now) {
    boolean[] locked = {false};
    states.compute(key(username, address), (k, s) -> {
      if (s == null) {
        s = new State(0, now, 0, 0);
      }
      int failures = now - s.windowStart() > windowMillis ? 1 : s.failures() + 1;
      long windowStart = failures == 1 ? now : s.windowStart();
      if (failures < maxFailures) {
        return new State(failures, windowStart, s.lockouts(), s.lockedUntil());
      }
      int lockouts = s.lockouts() + 1;
      long lockout = firstLockoutMillis << Math.min(lockouts - 1, 30);
      locked[0] = true;
      return new State(0, now, lockouts, now + Math.min(lockout, maxLockoutMillis));
    });
    if (states.size() > SWEEP_ABOVE) {
      sweep(now);
    }
    return locked[0];
  }

  void succeeded(String username, String address) {
    states.remove(key(username, address));
  }

  /** Forgets pairs that are not locked and whose failures are older than the window. */
  private void sweep(long now) {
    states.values().removeIf(s -> s.lockedUntil() < now && now - s.windowStart() > windowMillis);
  }
}

package io.linkgate.link;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides which connection failures are worth a log line, so that an unreachable peer does not flood the log: the
 * first occurrence of each reason in a failure streak is logged, repeats are counted and summarised at most once per
 * {@link #SUMMARY_EVERY_MS}, and the recovery line says how many attempts failed. Owned by the link verticle.
 */
final class FailureLog {
  static final long SUMMARY_EVERY_MS = 300_000;

  enum Verdict { LOG, SUMMARY, QUIET }

  private final Map<String, Integer> repeats = new HashMap<>();
  private long lastSummary;
  private int failures;

  /** Counts a failure; tells whether to log it. {@link #repeats()} gives the count for a summary line. */
  Verdict failed(String reason, long now) {
    failures++;
    Integer seen = repeats.merge(reason, 1, Integer::sum) - 1;
    if (seen == 0) {
      if (repeats.size() == 1) {
        lastSummary = now;
      }
      return Verdict.LOG;
    }
    if (now - lastSummary >= SUMMARY_EVERY_MS) {
      lastSummary = now;
      return Verdict.SUMMARY;
    }
    return Verdict.QUIET;
  }

  /** Failures in the current streak. */
  int failures() {
    return failures;
  }

  /** Distinct reasons in the current streak. */
  int reasons() {
    return repeats.size();
  }

  /** Ends the streak; returns how many attempts had failed. */
  int recovered() {
    int n = failures;
    failures = 0;
    repeats.clear();
    return n;
  }
}

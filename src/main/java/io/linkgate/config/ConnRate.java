package io.linkgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate written as EMQX writes {@code max_conn_rate}: {@code "1000/s"}, {@code "100/10s"}, {@code "6000/m"}, or
 * {@code "infinity"} ({@link #UNLIMITED}).
 *
 * @param count how many per {@code period}
 */
public record ConnRate(long count, Duration period) {

  public static final ConnRate UNLIMITED = new ConnRate(Long.MAX_VALUE, Duration.ofSeconds(1));

  public ConnRate {
    Objects.requireNonNull(period, "period");
  }

  public boolean unlimited() {
    return count == Long.MAX_VALUE;
  }

  /**
   * Parses {@code "<count>/<period>"}; the period is a unit ({@code s}, {@code m}, {@code h}) or a duration
   * ({@code 10s}).
   *
   * @throws IllegalArgumentException when the text is not a rate
   */
  public static ConnRate parse(String text) {
    String t = text.trim();
    if (t.equals(Values.INFINITY_TEXT)) {
      return UNLIMITED;
    }
    int slash = t.indexOf('/');
    if (slash <= 0 || !t.substring(0, slash).trim().matches("\\d{1,12}")) {
      throw new IllegalArgumentException("not a rate");
    }
    long count = Long.parseLong(t.substring(0, slash).trim());
    String per = t.substring(slash + 1).trim();
    Duration period = Values.parseDuration(per.matches("[a-z]+") ? "1" + per : per);
    if (count <= 0 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("not a rate");
    }
    return new ConnRate(count, period);
  }

  @Override
  public String toString() {
    return unlimited() ? Values.INFINITY_TEXT : count + "/" + Values.formatDuration(period);
  }
}

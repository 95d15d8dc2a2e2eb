package io.linkgate.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parsing and formatting of the value notations used in the config file, as EMQX writes them.
 * <ul>
 *   <li>Durations: {@code "100ms"}, {@code "15s"}, {@code "1m"}, {@code "2h"}, {@code "1d"} or combinations such as
 *       {@code "1h30m"}. A plain integer is accepted too; its unit depends on the key (EMQX takes milliseconds for
 *       most keys, seconds for a few), see the Javadoc of each options record.</li>
 *   <li>Sizes: {@code "16KB"}, {@code "1MB"}, {@code "256MB"}, {@code "1GB"} (powers of 1024) or an integer number
 *       of bytes.</li>
 *   <li>{@code "infinity"}: for integer limits it is represented by {@link #INFINITY}, for durations by
 *       {@link #FOREVER}; both compare as larger than any real value.</li>
 * </ul>
 */
public final class Values {

  /** An integer limit configured as {@code "infinity"}. */
  public static final int INFINITY = Integer.MAX_VALUE;
  /** A duration configured as {@code "infinity"}; {@code toMillis()} gives {@link Long#MAX_VALUE}. */
  public static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);
  public static final String INFINITY_TEXT = "infinity";

  private static final long KB = 1024;
  private static final long MB = KB * 1024;
  private static final long GB = MB * 1024;

  private Values() {
  }

  /**
   * Parses a duration string (see the class comment); {@code "infinity"} is not accepted here.
   *
   * @throws IllegalArgumentException if the text is not a duration
   */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    long millis = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 15) {
        throw new IllegalArgumentException("not a duration");
      }
      long n = Long.parseLong(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      long unit = switch (s.substring(unitStart, i)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        case "d" -> 86_400_000;
        default -> throw new IllegalArgumentException("not a duration");
      };
      millis = Math.addExact(millis, Math.multiplyExact(n, unit));
    }
    return Duration.ofMillis(millis);
  }

  /** Formats a duration in its largest whole unit ({@code "2h"}, {@code "15s"}, {@code "100ms"}) or "infinity". */
  public static String formatDuration(Duration d) {
    if (d.equals(FOREVER)) {
      return INFINITY_TEXT;
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /**
   * Parses a size string such as {@code "16KB"}, {@code "256MB"}, {@code "1GB"}, {@code "512B"} or {@code "4096"}.
   *
   * @throws IllegalArgumentException if the text is not a size
   */
  public static long parseSize(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 15) {
      throw new IllegalArgumentException("not a size");
    }
    long n = Long.parseLong(s.substring(0, i));
    long unit = switch (s.substring(i).trim()) {
      case "", "B" -> 1;
      case "KB" -> KB;
      case "MB" -> MB;
      case "GB" -> GB;
      default -> throw new IllegalArgumentException("not a size");
    };
    return Math.multiplyExact(n, unit);
  }

  /** Formats a byte count in the largest whole unit: {@code "256MB"}, {@code "16KB"}, {@code "1000B"}. */
  public static String formatSize(long bytes) {
    if (bytes != 0 && bytes % GB == 0) {
      return bytes / GB + "GB";
    }
    if (bytes != 0 && bytes % MB == 0) {
      return bytes / MB + "MB";
    }
    if (bytes != 0 && bytes % KB == 0) {
      return bytes / KB + "KB";
    }
    return bytes + "B";
  }

  /** JSON form of an integer limit: the number, or "infinity" for {@link #INFINITY}. */
  static Object intOrInfinity(int value) {
    return value == INFINITY ? INFINITY_TEXT : value;
  }
}

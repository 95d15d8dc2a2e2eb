package io.linkgate.topic;

import java.nio.charset.StandardCharsets;

/**
 * Topic name and filter rules of MQTT 3.1.1 §4.7 / MQTT 5 §4.7, shared by the broker, the config validator and the
 * link code. Validation methods return {@code null} when the input is valid, otherwise a message that an operator
 * or a client can act on (callers prefix it with a path or turn it into a reason code).
 */
public final class Topics {

  /** UTF-8 strings in MQTT are length-prefixed with two bytes. */
  public static final int MAX_TOPIC_BYTES = 65_535;
  public static final String SHARE_PREFIX = "$share/";

  private Topics() {
  }

  /** Validates a topic name used in PUBLISH (no wildcards). */
  public static String validateName(String topic, int maxLevels) {
    String common = validateCommon(topic, maxLevels);
    if (common != null) {
      return common;
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return "wildcards '+' and '#' are not allowed in a topic name";
    }
    return null;
  }

  /** Validates a topic filter used in SUBSCRIBE or config (wildcards allowed, {@code $share/} not handled here). */
  public static String validateFilter(String filter, int maxLevels) {
    String common = validateCommon(filter, maxLevels);
    if (common != null) {
      return common;
    }
    int len = filter.length();
    int levelStart = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || filter.charAt(i) == '/') {
        String problem = checkFilterLevel(filter, levelStart, i, i == len);
        if (problem != null) {
          return problem;
        }
        levelStart = i + 1;
      }
    }
    return null;
  }

  private static String checkFilterLevel(String filter, int from, int to, boolean last) {
    for (int i = from; i < to; i++) {
      char c = filter.charAt(i);
      if (c == '#') {
        if (to - from != 1) {
          return "'#' must occupy a whole level";
        }
        if (!last) {
          return "'#' must be the last level";
        }
      } else if (c == '+' && to - from != 1) {
        return "'+' must occupy a whole level";
      }
    }
    return null;
  }

  private static String validateCommon(String topic, int maxLevels) {
    if (topic == null || topic.isEmpty()) {
      return "topic must not be empty";
    }
    if (topic.length() * 3 > MAX_TOPIC_BYTES && topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
      return "topic is longer than " + MAX_TOPIC_BYTES + " bytes";
    }
    int levels = 1;
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '/') {
        levels++;
      } else if (c == 0) {
        return "topic must not contain U+0000";
      } else if (Character.isSurrogate(c) && !validSurrogatePair(topic, i)) {
        return "topic is not well-formed UTF-8";
      }
    }
    if (maxLevels > 0 && levels > maxLevels) {
      return "topic has " + levels + " levels, more than the maximum of " + maxLevels;
    }
    return null;
  }

  private static boolean validSurrogatePair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /** Topics whose first level starts with '$' are not matched by wildcards at the first level (MQTT-4.7.2-1). */
  public static boolean isDollarTopic(String topic) {
    return !topic.isEmpty() && topic.charAt(0) == '$';
  }

  /**
   * Matches a topic name against a filter without allocating. Used for single checks (config, link receive side);
   * the broker matches through {@link TopicTrie}.
   */
  public static boolean matches(String filter, String topic) {
    if (isDollarTopic(topic) && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int fl = filter.length();
    int tl = topic.length();
    int f = 0;
    int t = 0;
    while (true) {
      int fEnd = indexOfSlash(filter, f);
      if (fEnd - f == 1 && filter.charAt(f) == '#') {
        return true; // '#' also matches the parent level: "a/#" matches "a"
      }
      if (t > tl) {
        return false; // topic ran out of levels before the filter
      }
      int tEnd = indexOfSlash(topic, t);
      boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
      if (!plus && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
        return false;
      }
      if (fEnd == fl) {
        return tEnd == tl;
      }
      f = fEnd + 1;
      t = tEnd + 1;
    }
  }

  private static int indexOfSlash(String s, int from) {
    int i = s.indexOf('/', from);
    return i < 0 ? s.length() : i;
  }

  /**
   * True when every topic matched by {@code narrow} is also matched by {@code wide} (filters assumed valid).
   * Used to reject redundant link topics and to reduce route intersections.
   */
  public static boolean isSubset(String narrow, String wide) {
    if (narrow.equals(wide)) {
      return true;
    }
    String[] n = narrow.split("/", -1);
    String[] w = wide.split("/", -1);
    for (int i = 0; i < w.length; i++) {
      String wl = w[i];
      if (wl.equals("#")) {
        // "$x/.." is not covered by a '#' at the first level
        return !(i == 0 && n[0].startsWith("$"));
      }
      if (i >= n.length) {
        return false;
      }
      String nl = n[i];
      if (nl.equals("#")) {
        return false;
      }
      if (wl.equals("+")) {
        if (nl.equals("+")) {
          continue;
        }
        if (i == 0 && nl.startsWith("$")) {
          return false;
        }
        continue;
      }
      if (!wl.equals(nl)) {
        return false;
      }
    }
    return n.length == w.length;
  }

  /** A parsed {@code $share/<group>/<filter>} subscription, or {@code null} if the filter is not shared. */
  public static SharedFilter parseShared(String filter) {
    if (!filter.startsWith(SHARE_PREFIX)) {
      return null;
    }
    int slash = filter.indexOf('/', SHARE_PREFIX.length());
    if (slash < 0) {
      return new SharedFilter(filter.substring(SHARE_PREFIX.length()), "");
    }
    return new SharedFilter(filter.substring(SHARE_PREFIX.length(), slash), filter.substring(slash + 1));
  }

  /** Validates a shared subscription's group and inner filter. */
  public static String validateShared(SharedFilter shared, int maxLevels) {
    String group = shared.group();
    if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
      return "shared subscription group must be non-empty and contain no wildcards";
    }
    if (shared.filter().isEmpty()) {
      return "shared subscription needs a topic filter after the group";
    }
    return validateFilter(shared.filter(), maxLevels);
  }

  /** Group and inner filter of a shared subscription. */
  public record SharedFilter(String group, String filter) {
  }
}

package io.linkgate.link.wire;

import java.util.Optional;

/** Builders and a parser for the Cluster Linking topics ({@code emqx_cluster_link.hrl}). */
public final class LinkTopics {
  public static final String PREFIX = "$LINK/cluster/";
  public static final String ROUTE_PREFIX = PREFIX + "route/";
  public static final String MSG_PREFIX = PREFIX + "msg/";
  public static final String RESP_PREFIX = PREFIX + "resp/";

  private LinkTopics() {
  }

  public static String route(String cluster) {
    return ROUTE_PREFIX + checkName(cluster, "cluster");
  }

  public static String msg(String cluster) {
    return MSG_PREFIX + checkName(cluster, "cluster");
  }

  public static String resp(String cluster, String actor) {
    return RESP_PREFIX + checkName(cluster, "cluster") + "/" + checkName(actor, "actor");
  }

  /**
   * The kind, cluster and actor of a Cluster Linking topic, or empty for any other topic
   * (including malformed {@code $LINK/cluster/...} ones, e.g. an empty or multi-level name).
   */
  public static Optional<LinkTopic> parse(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) {
      return Optional.empty();
    }
    if (topic.startsWith(ROUTE_PREFIX)) {
      return single(LinkTopic.Kind.ROUTE, topic.substring(ROUTE_PREFIX.length()));
    }
    if (topic.startsWith(MSG_PREFIX)) {
      return single(LinkTopic.Kind.MSG, topic.substring(MSG_PREFIX.length()));
    }
    if (topic.startsWith(RESP_PREFIX)) {
      String rest = topic.substring(RESP_PREFIX.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        return Optional.empty();
      }
      String cluster = rest.substring(0, slash);
      String actor = rest.substring(slash + 1);
      return isName(cluster) && isName(actor)
          ? Optional.of(new LinkTopic(LinkTopic.Kind.RESP, cluster, actor))
          : Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<LinkTopic> single(LinkTopic.Kind kind, String cluster) {
    return isName(cluster) ? Optional.of(new LinkTopic(kind, cluster, null)) : Optional.empty();
  }

  /** One non-empty topic level without wildcards: names become a single topic level. */
  private static boolean isName(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c == '\u0000') {
        return false;
      }
    }
    return true;
  }

  private static String checkName(String s, String what) {
    if (!isName(s)) {
      throw new IllegalArgumentException(what + " must be one non-empty topic level without"
          + " wildcards: " + s);
    }
    return s;
  }
}
